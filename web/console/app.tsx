// The console: signs back in from the session cookie on load, then shows the screens the
// signed-in role may open. Only the orders board exists so far (issue 23 lists the rest).
import { useEffect, useState } from 'preact/hooks';
import { api, refresh, signOut, User } from '../shared/api';
import { SignIn } from './screens/sign-in';
import { Board } from './screens/board';
import { Counter } from './screens/counter';
import { Printing } from './screens/printing';
import { PrintView } from './screens/print-view';
import { Cash } from './screens/cash';
import { Analytics } from './screens/analytics';
import { Menu } from './screens/menu';
import { SettingsScreen } from './screens/settings';
import { Customers } from './screens/customers';
import { Riders } from './screens/riders';
import { Audit } from './screens/audit';
import { Notifications } from './screens/notifications';
import { ShopSwitch } from './shop-switch';
import { t } from './strings';

const staffRoles = ['admin', 'staff'];

export function App() {
  const [user, setUser] = useState<User | null>(null);
  const [checked, setChecked] = useState(false);
  const [refused, setRefused] = useState('');
  const [path, setPath] = useState(location.pathname);

  useEffect(() => {
    const moved = () => setPath(location.pathname);
    addEventListener('popstate', moved);
    return () => removeEventListener('popstate', moved);
  }, []);

  useEffect(() => {
    (async () => {
      if (await refresh()) {
        try {
          const me = await api<User>('GET', '/users/me');
          if (staffRoles.includes(me.role)) setUser(me);
        } catch {
          /* the session ended meanwhile: sign in again */
        }
      }
      setChecked(true);
    })();
  }, []);

  const signedIn = async (u: User) => {
    if (staffRoles.includes(u.role)) {
      setRefused('');
      setUser(u);
    } else {
      await signOut().catch(() => undefined);
      setRefused(t.staffOnly);
    }
  };

  if (!checked) return <p class="loading">{t.loading}</p>;
  if (!user) return <SignIn onSignedIn={signedIn} refused={refused} />;
  // The screens this role opens (the rest of issue 23's screens join this list).
  const screens = [
    { path: '/console/', name: t.board, view: () => <Board /> },
    { path: '/console/counter', name: t.counter, view: () => <Counter admin={user.role === 'admin'} /> },
    { path: '/console/printing', name: t.printing, view: () => <Printing admin={user.role === 'admin'} go={navigate} /> },
    { path: '/console/menu', name: t.menu, view: () => <Menu />, admin: true },
    { path: '/console/cash', name: t.cash, view: () => <Cash />, admin: true },
    { path: '/console/riders', name: t.riders, view: () => <Riders />, admin: true },
    { path: '/console/customers', name: t.customers, view: () => <Customers />, admin: true },
    { path: '/console/settings', name: t.settings, view: () => <SettingsScreen />, admin: true },
    { path: '/console/audit', name: t.audit, view: () => <Audit />, admin: true },
    { path: '/console/notifications', name: t.notifications, view: () => <Notifications admin={user.role === 'admin'} /> },
    { path: '/console/analytics', name: t.analytics, view: () => <Analytics />, admin: true },
  ];
  const allowed = screens.filter((s) => !s.admin || user.role === 'admin');
  function navigate(to: string) {
    history.pushState(null, '', to);
    setPath(location.pathname);
  }
  const printing = path.match(/^\/console\/print\/([0-9a-f]{24})$/);
  const current = printing
    ? { path, name: t.printing, view: () => <PrintView orderId={printing[1]} kind={new URLSearchParams(location.search).get('kind') ?? 'kitchen'} /> }
    : screens.find((s) => s.path === path.replace(/\/+$/, '') || s.path === path) ?? screens[0];
  const refusedScreen = !allowed.includes(current as (typeof screens)[number]) && !printing;
  const go = (e: MouseEvent, to: string) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey) return; // a new tab: let the browser do it
    e.preventDefault();
    navigate(to);
  };
  return (
    <div class="shell">
      <header class="bar no-print">
        <h1>{t.appName}</h1>
        <nav aria-label="Screens">
          {allowed.map((s) => (
            <a href={s.path} key={s.path} aria-current={s.path === current.path ? 'page' : undefined} onClick={(e) => go(e, s.path)}>
              {s.name}
            </a>
          ))}
        </nav>
        {user.role === 'admin' && <ShopSwitch />}
        <span class="who">{user.profile?.firstName || user.email.split('@')[0]} · {user.role}</span>
        <button
          type="button"
          onClick={async () => {
            await signOut().catch(() => undefined);
            setUser(null);
          }}
        >
          {t.signOut}
        </button>
      </header>
      <main>{refusedScreen ? <p class="form-error page" role="alert">{t.adminsOnly(current.name)}</p> : current.view()}</main>
    </div>
  );
}

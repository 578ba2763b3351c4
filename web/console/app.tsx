// The console: signs back in from the session cookie on load, then shows the screens the
// signed-in role may open. Only the orders board exists so far (issue 23 lists the rest).
import { useEffect, useState } from 'preact/hooks';
import { api, refresh, signOut, User } from '../shared/api';
import { SignIn } from './screens/sign-in';
import { Board } from './screens/board';
import { ShopSwitch } from './shop-switch';
import { t } from './strings';

const staffRoles = ['admin', 'staff'];

export function App() {
  const [user, setUser] = useState<User | null>(null);
  const [checked, setChecked] = useState(false);
  const [refused, setRefused] = useState('');

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
  return (
    <div class="shell">
      <header class="bar">
        <h1>{t.appName}</h1>
        <nav aria-label="Screens">
          <a href="/console/" aria-current="page">{t.board}</a>
        </nav>
        {user.role === 'admin' && <ShopSwitch />}
        <span class="who">{user.profile?.firstName || user.email} · {user.role}</span>
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
      <main>
        <Board />
      </main>
    </div>
  );
}

// Riders for admins: each with their vehicle, on duty or not, active or not; add a rider; take one
// off the team (deactivating signs them out everywhere; their orders stay for reassigning).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { io } from 'socket.io-client';
import { api, ApiError, refresh, token } from '../../shared/api';
import { t } from '../strings';

interface Rider {
  _id: string;
  email: string;
  phone: string;
  profile: { firstName: string; lastName?: string };
  isActive: boolean;
  vehicleInfo?: { number?: string | null };
  availability?: boolean;
}

interface OnDuty {
  _id: string;
  distanceKm: number | null;
  activeOrders: number;
}

export function Riders() {
  const [riders, setRiders] = useState<Rider[]>([]);
  const [where, setWhere] = useState<Record<string, OnDuty>>({});
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    try {
      const [team, duty] = await Promise.all([
        api<Rider[]>('GET', '/admin/delivery-partners?limit=100'),
        api<OnDuty[]>('GET', '/admin/delivery/riders'),
      ]);
      setRiders(team);
      setWhere(Object.fromEntries(duty.map((d) => [d._id, d])));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    load();
    // Riders coming on and off duty arrive on the admin room; the list follows.
    const socket = io({ transports: ['websocket'], auth: (cb) => cb({ token: token() }) });
    socket.on('connect_error', () => refresh());
    for (const e of ['admin:delivery-online', 'admin:delivery-offline', 'admin:delivery-availability']) socket.on(e, () => load());
    return () => socket.close();
  }, [load]);
  const toggle = async (r: Rider) => {
    setError('');
    try {
      await api('PUT', `/admin/delivery-partners/${r._id}`, { isActive: !r.isActive });
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const onDuty = (r: Rider) => r.availability ?? false;
  return (
    <section class="page" aria-labelledby="riders-title">
      <h2 id="riders-title">{t.riders}</h2>
      {error && <p class="form-error" role="alert">{error}</p>}
      <table class="jobs">
        <thead><tr><th scope="col">{t.rider}</th><th scope="col">{t.phone}</th><th scope="col">{t.duty}</th><th scope="col">{t.where}</th><th scope="col"><span class="visually-hidden">{t.actions}</span></th></tr></thead>
        <tbody>
          {riders.map((r) => (
            <tr key={r._id}>
              <td>{r.profile.firstName} {r.profile.lastName ?? ''}{r.vehicleInfo?.number ? ` · ${r.vehicleInfo.number}` : ''}</td>
              <td>{r.phone}</td>
              <td>{!r.isActive ? t.deactivated : onDuty(r) ? t.onDuty : t.offDuty}</td>
              <td>{where[r._id] ? `${where[r._id].distanceKm === null ? t.positionUnknown : t.kmFromRestaurant(where[r._id].distanceKm!)} · ${t.holding(where[r._id].activeOrders)}` : '—'}</td>
              <td><button type="button" class="secondary" onClick={() => toggle(r)} aria-label={`${r.isActive ? t.deactivate : t.reactivate} ${r.profile.firstName}`}>{r.isActive ? t.deactivate : t.reactivate}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddRider onAdded={load} />
    </section>
  );
}

function AddRider({ onAdded }: { onAdded: () => void }) {
  const [v, setV] = useState({ firstName: '', email: '', phone: '', password: '', vehicle: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const field = (key: keyof typeof v, label: string, type = 'text') => (
    <div class="setting">
      <label for={`rider-${key}`}>{label}</label>
      <input id={`rider-${key}`} type={type} value={v[key]} aria-invalid={!!error?.about(key === 'vehicle' ? 'vehicleInfo.number' : key)}
        onInput={(e) => setV((x) => ({ ...x, [key]: (e.target as HTMLInputElement).value }))} />
      {error?.about(key === 'vehicle' ? 'vehicleInfo.number' : key) && <p class="field-error">{error.about(key === 'vehicle' ? 'vehicleInfo.number' : key)}</p>}
    </div>
  );
  return (
    <form class="settings add-rider" noValidate onSubmit={async (e) => {
      e.preventDefault();
      setError(null);
      try {
        await api('POST', '/admin/delivery-partners', { firstName: v.firstName.trim(), email: v.email.trim(), phone: v.phone.trim(),
          password: v.password, vehicleInfo: { type: 'motorcycle', number: v.vehicle.trim() } });
        setV({ firstName: '', email: '', phone: '', password: '', vehicle: '' });
        onAdded();
      } catch (err) {
        setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
      }
    }}>
      <h3>{t.addRider}</h3>
      {field('firstName', t.firstName)}
      {field('email', t.emailOnly)}
      {field('phone', t.phone)}
      {field('password', t.password, 'password')}
      {field('vehicle', t.vehicleNumber)}
      {error && !error.details.length && <p class="form-error" role="alert">{error.message}</p>}
      {error && error.details.length > 0 && <p class="form-error" role="alert">{t.fixFields}</p>}
      <button type="submit">{t.addRider}</button>
    </form>
  );
}

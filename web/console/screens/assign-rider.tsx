// Giving a delivery order to a rider from its detail: the nearest in one press, or one chosen
// from the riders on duty, each shown with distance from the restaurant and the orders they hold.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { t } from '../strings';

interface Rider {
  _id: string;
  name: string;
  phone: string;
  distanceKm: number | null;
  activeOrders: number;
}

export function AssignRider({ orderId, current, onAssigned }: { orderId: string; current?: string; onAssigned: (o: any) => void }) {
  const [riders, setRiders] = useState<Rider[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    api<Rider[]>('GET', '/admin/delivery/riders').then(setRiders, (e) => setError(e.message));
  }, []);

  const assign = async (body: object) => {
    setError('');
    try {
      onAssigned(await api('PUT', `/admin/orders/${orderId}/assign-delivery`, body));
    } catch (e) {
      setError(e instanceof ApiError ? e.about('deliveryPartnerId') ?? e.message : String(e));
    }
  };

  return (
    <section class="assign" aria-labelledby="assign-title">
      <h3 id="assign-title">{current ? t.reassign : t.assignRider}</h3>
      <button type="button" onClick={() => assign({ nearest: true })}>{t.nearestRider}</button>
      {riders && riders.length === 0 && <p class="muted">{t.noRiders}</p>}
      {riders && riders.length > 0 && (
        <form onSubmit={(e) => { e.preventDefault(); if (chosen) assign({ deliveryPartnerId: chosen }); }}>
          <fieldset>
            <legend>{t.chooseRider}</legend>
            {riders.map((r) => (
              <label class="rider" key={r._id}>
                <input type="radio" name="rider" value={r._id} checked={chosen === r._id}
                  onChange={() => setChosen(r._id)} />
                {r.name} · {r.distanceKm === null ? t.positionUnknown : t.km(r.distanceKm)} · {t.holding(r.activeOrders)}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={!chosen}>{t.assign}</button>
        </form>
      )}
      {error && <p class="field-error" role="alert">{error}</p>}
    </section>
  );
}

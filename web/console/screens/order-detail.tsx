// One order, opened from its card (a modal dialog: focus moves in, Esc closes): what to cook
// (items with their choices), who and where (customer contact, address, instructions), how it is
// paid, its history, its rider; and cancelling it with the reason the customer is told.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { rupees } from '../../shared/money';
import { t } from '../strings';
import { AssignRider } from './assign-rider';

interface Line {
  name: string;
  quantity: number;
  subtotal: number;
  customizations: { name: string; options: string[] }[];
}
interface Order {
  _id: string;
  orderNumber: string;
  status: string;
  orderType: string;
  customer: { name?: string; phone?: string };
  items: Line[];
  pricing: { finalAmount: number; tip?: number };
  deliveryAddress: { street?: string; city?: string; instructions?: string } | null;
  deliveryPartner: { id?: string; _id?: string; name?: string; phone?: string } | null;
  paymentMethod: string;
  paymentStatus: string;
  statusHistory: { status: string; timestamp: string; updatedBy: string; notes: string | null }[];
}

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-IN', { hour: '2-digit', minute: '2-digit' });

export function OrderDetail({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState('');
  const [reason, setReason] = useState('');
  const [cancelError, setCancelError] = useState('');
  const [riderKm, setRiderKm] = useState<number | null | undefined>(undefined);

  useEffect(() => {
    dialog.current?.showModal();
    api<Order>('GET', `/orders/${id}`).then(setOrder, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [id]);

  const cancel = async (e: Event) => {
    e.preventDefault();
    setCancelError('');
    try {
      setOrder(await api<Order>('PUT', `/admin/orders/${id}`, { status: 'cancelled', notes: reason.trim() }));
      onChanged();
    } catch (err) {
      setCancelError(err instanceof ApiError ? err.about('notes') ?? err.message : String(err));
      api<Order>('GET', `/orders/${id}`).then(setOrder, () => undefined); // show what it has become
      onChanged();
    }
  };

  // Where its rider was last seen (distance from the restaurant), while they are on duty.
  const riderId = order?.deliveryPartner?.id ?? order?.deliveryPartner?._id;
  useEffect(() => {
    if (!riderId) return;
    api<{ _id: string; distanceKm: number | null }[]>('GET', '/admin/delivery/riders').then(
      (list) => setRiderKm(list.find((r) => r._id === riderId)?.distanceKm ?? null),
      () => setRiderKm(undefined),
    );
  }, [riderId]);

  const open = order && !['delivered', 'cancelled'].includes(order.status);
  return (
    <dialog ref={dialog} class="detail" aria-labelledby="detail-title" onClose={onClose}>
      <div class="detail-head">
        <h2 id="detail-title">{order ? `${t.order} ${order.orderNumber}` : t.loading}</h2>
        <button type="button" class="secondary" onClick={() => dialog.current?.close()}>{t.close}</button>
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      {order && (
        <div class="detail-body">
          <p>
            <strong>{t.columns[order.status] ?? order.status}</strong> · {order.orderType === 'takeaway' ? t.takeaway : t.delivery} ·{' '}
            {order.paymentMethod} ({order.paymentStatus}) · {rupees(order.pricing.finalAmount)}
          </p>
          <h3>{t.itemsTitle}</h3>
          <ul class="lines">
            {order.items.map((l, i) => (
              <li key={i}>
                <strong>{l.quantity} × {l.name}</strong> <span class="muted">{rupees(l.subtotal)}</span>
                {l.customizations.map((c) => (
                  <div class="muted" key={c.name}>{c.name}: {c.options.join(', ')}</div>
                ))}
              </li>
            ))}
          </ul>
          <h3>{t.customerTitle}</h3>
          <p>
            {order.customer.name}
            {order.customer.phone && <> · <a href={`tel:${order.customer.phone}`}>{order.customer.phone}</a></>}
          </p>
          {order.deliveryAddress?.street && (
            <p>{order.deliveryAddress.street}, {order.deliveryAddress.city}</p>
          )}
          {order.deliveryAddress?.instructions && <p class="note">{t.note}: {order.deliveryAddress.instructions}</p>}
          {order.deliveryPartner && (
            <p>
              {t.rider}: {order.deliveryPartner.name} {order.deliveryPartner.phone}
              {riderKm !== undefined && ` · ${riderKm === null ? t.positionUnknown : t.kmFromRestaurant(riderKm)}`}
            </p>
          )}
          <h3>{t.historyTitle}</h3>
          <ol class="history">
            {order.statusHistory.map((h, i) => (
              <li key={i}>
                {time(h.timestamp)} — {t.columns[h.status] ?? h.status} ({h.updatedBy}){h.notes ? `: ${h.notes}` : ''}
              </li>
            ))}
          </ol>
          {open && order.orderType === 'delivery' && ['pending', 'confirmed', 'preparing', 'ready'].includes(order.status) && (
            <AssignRider orderId={order._id} current={order.deliveryPartner?.name}
              onAssigned={(o) => { setOrder(o); onChanged(); }} />
          )}
          {open && (
            <form class="cancel" onSubmit={cancel} noValidate>
              <label for="cancel-reason">{t.cancelReason}</label>
              <input id="cancel-reason" value={reason} required maxLength={500}
                aria-invalid={!!cancelError} aria-describedby={cancelError ? 'cancel-error' : undefined}
                onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
              <button type="submit" disabled={reason.trim().length === 0}>{t.cancelOrder}</button>
            </form>
          )}
          {cancelError && <p id="cancel-error" class="field-error" role="alert">{cancelError}</p>}
        </div>
      )}
    </dialog>
  );
}

// The browser-print fallback: an order's kitchen ticket or bill laid out for 58 mm paper (the
// print stylesheet hides everything else), printed with the browser's own dialog.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { rupees } from '../../shared/money';
import { t } from '../strings';

interface Order {
  orderNumber: string;
  orderType: string;
  createdAt: string;
  customer: { name?: string; phone?: string };
  deliveryAddress: { street?: string; city?: string; instructions?: string } | null;
  items: { name: string; quantity: number; subtotal: number; customizations: { name: string; options: string[] }[] }[];
  pricing: { itemsTotal: number; discount: number; tax: number; deliveryFee: number; tip?: number; finalAmount: number };
  paymentMethod: string;
}

export function PrintView({ orderId, kind }: { orderId: string; kind: string }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<Order>('GET', `/orders/${orderId}`).then(setOrder, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [orderId]);
  if (error) return <p class="form-error" role="alert">{error}</p>;
  if (!order) return <p class="loading">{t.loading}</p>;
  const bill = kind === 'bill';
  return (
    <section class="page" aria-labelledby="print-title">
      <div class="page-head no-print">
        <h2 id="print-title">{bill ? t.jobKinds.bill : t.jobKinds.kitchen} · {order.orderNumber}</h2>
        <button type="button" onClick={() => print()}>{t.printNow}</button>
      </div>
      <article class="paper-58" aria-label={t.ticket}>
        <p class="center">{bill ? 'TipTop' : t.kitchenHeading}</p>
        <p class="center big">{order.orderNumber.slice(-5)}</p>
        <p class="center">{order.orderType === 'takeaway' ? t.takeaway.toUpperCase() : t.delivery.toUpperCase()}</p>
        <p>{new Date(order.createdAt).toLocaleString('en-IN')}</p>
        <hr />
        <p>{order.customer.name}{bill && order.customer.phone ? ` ${order.customer.phone}` : ''}</p>
        {bill && order.deliveryAddress?.street && <p>{order.deliveryAddress.street}, {order.deliveryAddress.city}</p>}
        {order.deliveryAddress?.instructions && <p>{t.note}: {order.deliveryAddress.instructions}</p>}
        <hr />
        {order.items.map((l, i) => (
          <div key={i}>
            <p class="line"><strong>{l.quantity} x {l.name}</strong>{bill && <span>{rupees(l.subtotal)}</span>}</p>
            {l.customizations.map((c) => <p class="choice-line" key={c.name}>- {c.name}: {c.options.join(', ')}</p>)}
          </div>
        ))}
        {bill && (
          <>
            <hr />
            <p class="line"><span>{t.itemsTotal}</span><span>{rupees(order.pricing.itemsTotal)}</span></p>
            {order.pricing.discount > 0 && <p class="line"><span>{t.discount}</span><span>−{rupees(order.pricing.discount)}</span></p>}
            <p class="line"><span>{t.tax}</span><span>{rupees(order.pricing.tax)}</span></p>
            {order.pricing.deliveryFee > 0 && <p class="line"><span>{t.deliveryFee}</span><span>{rupees(order.pricing.deliveryFee)}</span></p>}
            <p class="line big"><span>{t.total}</span><span>{rupees(order.pricing.finalAmount)}</span></p>
            <p class="center">{t.paymentNames[order.paymentMethod] ?? order.paymentMethod}</p>
          </>
        )}
      </article>
    </section>
  );
}

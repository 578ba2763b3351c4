// The counter (POS): tap or search dishes (choices asked when a dish has them), the caller by
// phone (the live bill says whose account it is), takeaway or delivery, cash, COD or UPI, and for
// admins an open item and a discount with its reason. The bill is the server's counter quote, so
// what is shown is what is charged. One Idempotency-Key per cart: a double press or a retry places
// one order.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { rupees } from '../../shared/money';
import { t } from '../strings';

interface Group {
  name: string;
  options: { label: string; price: number }[];
  required: boolean;
  multiple: boolean;
}
interface Dish {
  _id: string;
  name: string;
  plateQuantity: string | null;
  price: number;
  isAvailable: boolean;
  category: { main: string };
  customizations: Group[];
}
interface Line {
  dish: Dish;
  quantity: number;
  choices: { name: string; options: string[] }[];
}
interface Quote {
  items: { name: string; quantity: number; subtotal: number; customizations: { name: string; options: string[] }[] }[];
  pricing: { itemsTotal: number; deliveryFee: number; tax: number; discount: number; finalAmount: number };
  customer: { name?: string; phone: string; hasAccount: boolean } | null;
}

const label = (d: Dish) => d.name + (d.plateQuantity ? ` (${d.plateQuantity})` : '');
const newKey = () => crypto.randomUUID();

export function Counter({ admin }: { admin: boolean }) {
  const [menu, setMenu] = useState<Dish[]>([]);
  const [search, setSearch] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [choosing, setChoosing] = useState<Dish | null>(null);
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [orderType, setOrderType] = useState<'takeaway' | 'delivery'>('takeaway');
  const [street, setStreet] = useState('');
  const [city, setCity] = useState('');
  const [payment, setPayment] = useState('CASH');
  const [discount, setDiscount] = useState('');
  const [discountReason, setDiscountReason] = useState('');
  const [openItems, setOpenItems] = useState<{ name: string; price: number; quantity: number }[]>([]);
  const [openName, setOpenName] = useState('');
  const [openPrice, setOpenPrice] = useState('');
  const [quote, setQuote] = useState<Quote | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [placing, setPlacing] = useState(false);
  const [placed, setPlaced] = useState('');
  const [key, setKey] = useState(newKey);

  useEffect(() => {
    api<Dish[]>('GET', '/menu/items?limit=100&sort=popular').then(setMenu, (e) => setProblem(e));
  }, []);

  const body = useMemo(() => {
    const b: Record<string, unknown> = { orderType, paymentMethod: payment };
    if (lines.length) b.items = lines.map((l) => ({ menuItem: l.dish._id, quantity: l.quantity, customizations: l.choices }));
    if (phone.trim() || name.trim()) b.customer = { ...(phone.trim() && { phone: phone.trim() }), ...(name.trim() && { name: name.trim() }) };
    if (orderType === 'delivery') b.deliveryAddress = { street, city };
    if (admin && discount) b.discount = { amount: Number(discount), reason: discountReason };
    if (admin && openItems.length) b.openItems = openItems;
    return b;
  }, [lines, orderType, payment, phone, name, street, city, discount, discountReason, admin, openItems]);

  // The live bill, a moment after the last change.
  useEffect(() => {
    setPlaced((p) => (lines.length || openItems.length ? '' : p));
    if (lines.length === 0 && openItems.length === 0) {
      setQuote(null);
      setProblem(null);
      return;
    }
    const timer = setTimeout(async () => {
      try {
        setQuote(await api<Quote>('POST', '/admin/orders/quote', body));
        setProblem(null);
      } catch (e) {
        setProblem(e instanceof ApiError ? e : new ApiError(0, 'ERROR', String(e)));
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [body]);

  const add = (dish: Dish, choices: Line['choices'] = []) => {
    setLines((ls) => [...ls, { dish, quantity: 1, choices }]);
    setChoosing(null);
  };
  const tap = (dish: Dish) => (dish.customizations.length ? setChoosing(dish) : add(dish));
  const setQty = (i: number, q: number) =>
    setLines((ls) => (q <= 0 ? ls.filter((_, j) => j !== i) : ls.map((l, j) => (j === i ? { ...l, quantity: Math.min(q, 50) } : l))));

  const place = async () => {
    if (placing) return;
    setPlacing(true);
    try {
      const o = await api<{ orderNumber: string }>('POST', '/admin/orders', body, { 'Idempotency-Key': key });
      setPlaced(t.placed(o.orderNumber));
      setLines([]);
      setPhone('');
      setName('');
      setDiscount('');
      setDiscountReason('');
      setOpenItems([]);
      setKey(newKey()); // the next cart is another order
    } catch (e) {
      setProblem(e instanceof ApiError ? e : new ApiError(0, 'ERROR', String(e)));
    } finally {
      setPlacing(false);
    }
  };

  const shown = menu.filter((d) => label(d).toLowerCase().includes(search.trim().toLowerCase()));
  const about = (field: string) => problem?.about(field);
  const general = problem && !['customer.phone', 'discount.amount', 'discount.reason', 'deliveryAddress', 'openItems'].some((f) => problem.about(f))
    ? problem.details[0]?.message ? `${problem.message}: ${problem.details.map((d) => d.message).join('; ')}` : problem.message
    : '';

  return (
    <section class="counter" aria-labelledby="counter-title">
      <h2 id="counter-title">{t.counter}</h2>
      <div class="pos">
        <div class="dishes">
          <label for="dish-search">{t.searchDishes}</label>
          <input id="dish-search" type="search" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
          <ul class="dish-list">
            {shown.map((d) => (
              <li key={d._id}>
                <button type="button" class="dish" disabled={!d.isAvailable} onClick={() => tap(d)}>
                  <span>{label(d)}</span> <span class="muted">{rupees(d.price)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
        <div class="ticket">
          <h3>{t.cart}</h3>
          {lines.length === 0 && <p class="muted">{t.cartEmpty}</p>}
          <ul class="cart">
            {lines.map((l, i) => (
              <li key={i}>
                <span>{label(l.dish)}{l.choices.length > 0 && <span class="muted"> — {l.choices.map((c) => c.options.join(', ')).join('; ')}</span>}</span>
                <span class="qty">
                  <button type="button" class="secondary" aria-label={t.less(label(l.dish))} onClick={() => setQty(i, l.quantity - 1)}>−</button>
                  <span aria-live="polite">{l.quantity}</span>
                  <button type="button" class="secondary" aria-label={t.more(label(l.dish))} onClick={() => setQty(i, l.quantity + 1)}>+</button>
                </span>
              </li>
            ))}
          </ul>
          <label for="phone">{t.customerPhone}</label>
          <input id="phone" inputMode="tel" value={phone} aria-invalid={!!about('customer.phone')}
            aria-describedby={about('customer.phone') ? 'phone-error' : quote?.customer ? 'phone-who' : undefined}
            onInput={(e) => setPhone((e.target as HTMLInputElement).value)} />
          {about('customer.phone') && <p id="phone-error" class="field-error">{about('customer.phone')}</p>}
          {!about('customer.phone') && quote?.customer && (
            <p id="phone-who" class="muted">{quote.customer.hasAccount ? t.knownCustomer(quote.customer.name ?? '') : t.newCustomer}</p>
          )}
          <label for="name">{t.customerName}</label>
          <input id="name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          <fieldset>
            <legend>{t.orderType}</legend>
            {(['takeaway', 'delivery'] as const).map((v) => (
              <label class="choice" key={v}>
                <input type="radio" name="order-type" checked={orderType === v} onChange={() => setOrderType(v)} />
                {v === 'takeaway' ? t.takeaway : t.delivery}
              </label>
            ))}
          </fieldset>
          {orderType === 'delivery' && (
            <>
              <label for="street">{t.street}</label>
              <input id="street" value={street} onInput={(e) => setStreet((e.target as HTMLInputElement).value)} />
              <label for="city">{t.city}</label>
              <input id="city" value={city} onInput={(e) => setCity((e.target as HTMLInputElement).value)} />
              {about('deliveryAddress') && <p class="field-error">{about('deliveryAddress')}</p>}
            </>
          )}
          <fieldset>
            <legend>{t.payment}</legend>
            {['CASH', 'COD', 'UPI'].map((v) => (
              <label class="choice" key={v}>
                <input type="radio" name="payment" checked={payment === v} onChange={() => setPayment(v)} />
                {t.paymentNames[v]}
              </label>
            ))}
          </fieldset>
          {openItems.length > 0 && (
            <ul class="cart">
              {openItems.map((o, i) => (
                <li key={i}>
                  <span>{o.quantity} × {o.name} <span class="muted">({t.openItem}, {rupees(o.price)})</span></span>
                  <button type="button" class="secondary" aria-label={t.removeOpenItem(o.name)} onClick={() => setOpenItems(openItems.filter((_, j) => j !== i))}>✕</button>
                </li>
              ))}
            </ul>
          )}
          {admin && (
            <fieldset>
              <legend>{t.openItem}</legend>
              <label for="open-name">{t.openItemName}</label>
              <input id="open-name" value={openName} onInput={(e) => setOpenName((e.target as HTMLInputElement).value)} />
              <label for="open-price">{t.openItemPrice}</label>
              <input id="open-price" inputMode="decimal" value={openPrice} onInput={(e) => setOpenPrice((e.target as HTMLInputElement).value)} />
              {about('openItems') && <p class="field-error">{about('openItems')}</p>}
              <button type="button" class="secondary" disabled={!openName.trim() || !openPrice.trim()}
                onClick={() => {
                  setOpenItems([...openItems, { name: openName.trim(), price: Number(openPrice), quantity: 1 }]);
                  setOpenName('');
                  setOpenPrice('');
                }}>
                {t.addOpenItem}
              </button>
            </fieldset>
          )}
          {admin && (
            <fieldset>
              <legend>{t.discount}</legend>
              <label for="discount">{t.discountAmount}</label>
              <input id="discount" inputMode="decimal" value={discount} aria-invalid={!!about('discount.amount')}
                onInput={(e) => setDiscount((e.target as HTMLInputElement).value)} />
              {about('discount.amount') && <p class="field-error">{about('discount.amount')}</p>}
              <label for="discount-reason">{t.discountReason}</label>
              <input id="discount-reason" value={discountReason} aria-invalid={!!about('discount.reason')}
                onInput={(e) => setDiscountReason((e.target as HTMLInputElement).value)} />
              {about('discount.reason') && <p class="field-error">{about('discount.reason')}</p>}
            </fieldset>
          )}
          {quote && (
            <dl class="totals" aria-label={t.bill}>
              <dt>{t.itemsTotal}</dt><dd>{rupees(quote.pricing.itemsTotal)}</dd>
              {quote.pricing.discount > 0 && <><dt>{t.discount}</dt><dd>−{rupees(quote.pricing.discount)}</dd></>}
              <dt>{t.tax}</dt><dd>{rupees(quote.pricing.tax)}</dd>
              {quote.pricing.deliveryFee > 0 && <><dt>{t.deliveryFee}</dt><dd>{rupees(quote.pricing.deliveryFee)}</dd></>}
              <dt class="total">{t.total}</dt><dd class="total">{rupees(quote.pricing.finalAmount)}</dd>
            </dl>
          )}
          {general && <p class="form-error" role="alert">{general}</p>}
          <button type="button" class="place" disabled={(lines.length === 0 && openItems.length === 0) || placing || !!problem} onClick={place}>
            {placing ? t.placing : quote ? t.placeFor(rupees(quote.pricing.finalAmount)) : t.place}
          </button>
          {placed && <p class="placed" role="status">{placed}</p>}
        </div>
      </div>
      {choosing && <Choices dish={choosing} onAdd={(c) => add(choosing, c)} onClose={() => setChoosing(null)} />}
    </section>
  );
}

// A dish's choice groups, asked before it goes in the cart.
function Choices({ dish, onAdd, onClose }: { dish: Dish; onAdd: (c: Line['choices']) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => dialog.current?.showModal(), []);
  const [picked, setPicked] = useState<Record<string, string[]>>(() =>
    Object.fromEntries(dish.customizations.filter((g) => g.required && !g.multiple).map((g) => [g.name, [g.options[0].label]])));
  const toggle = (g: Group, option: string) =>
    setPicked((p) => {
      const now = p[g.name] ?? [];
      if (!g.multiple) return { ...p, [g.name]: [option] };
      return { ...p, [g.name]: now.includes(option) ? now.filter((o) => o !== option) : [...now, option] };
    });
  return (
    <dialog class="detail" aria-labelledby="choices-title" ref={dialog} onClose={onClose}>
      <h2 id="choices-title">{label(dish)}</h2>
      <form method="dialog" onSubmit={(e) => {
        e.preventDefault();
        onAdd(Object.entries(picked).filter(([, o]) => o.length).map(([name, options]) => ({ name, options })));
      }}>
        {dish.customizations.map((g) => (
          <fieldset key={g.name}>
            <legend>{g.name}{g.required ? ` (${t.required})` : ''}</legend>
            {g.options.map((o) => (
              <label class="choice" key={o.label}>
                <input type={g.multiple ? 'checkbox' : 'radio'} name={g.name} checked={(picked[g.name] ?? []).includes(o.label)}
                  onChange={() => toggle(g, o.label)} />
                {o.label}{o.price > 0 ? ` +${rupees(o.price)}` : ''}
              </label>
            ))}
          </fieldset>
        ))}
        <div class="row">
          <button type="submit">{t.addToCart}</button>
          <button type="button" class="secondary" onClick={onClose}>{t.cancel}</button>
        </div>
      </form>
    </dialog>
  );
}

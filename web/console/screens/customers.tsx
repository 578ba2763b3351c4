// Customers for admins: search by name, e-mail or phone; a customer's orders and totals; block or
// unblock (blocking signs them out everywhere).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { rupees } from '../../shared/money';
import { t } from '../strings';

interface Customer {
  _id: string;
  email: string;
  phone: string;
  profile: { firstName: string; lastName?: string };
  isActive: boolean;
}
interface Detail {
  customer: Customer;
  orders: {
    total: number;
    delivered: number;
    cancelled: number;
    spent: number;
    averageOrderValue: number | null;
    lastOrderAt: string | null;
    recent: { orderNumber: string; status: string; finalAmount: number; createdAt: string }[];
  };
}
const fullName = (c: Customer) => `${c.profile.firstName}${c.profile.lastName ? ' ' + c.profile.lastName : ''}`;

export function Customers() {
  const [search, setSearch] = useState('');
  const [list, setList] = useState<Customer[]>([]);
  const [chosen, setChosen] = useState<Detail | null>(null);
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      setList(await api<Customer[]>('GET', `/admin/customers?limit=30${search.trim() ? `&search=${encodeURIComponent(search.trim())}` : ''}`));
      setError('');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, [search]);
  useEffect(() => {
    const timer = setTimeout(load, 200);
    return () => clearTimeout(timer);
  }, [load]);

  const open = async (c: Customer) => {
    try {
      setChosen(await api<Detail>('GET', `/admin/customers/${c._id}`));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const block = async (c: Customer) => {
    try {
      await api('PUT', `/admin/customers/${c._id}`, { isActive: !c.isActive });
      await load();
      await open(c);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <section class="page" aria-labelledby="customers-title">
      <h2 id="customers-title">{t.customers}</h2>
      <div class="inline-form">
        <label for="customer-search">{t.findCustomer}</label>
        <input id="customer-search" type="search" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div class="menu-grid">
        <ul class="people">
          {list.map((c) => (
            <li key={c._id}>
              <button type="button" class="link" onClick={() => open(c)}>{fullName(c)}</button>
              <span class="muted"> {c.phone}{c.isActive ? '' : ` · ${t.blocked}`}</span>
            </li>
          ))}
          {list.length === 0 && <li class="muted">{t.noCustomers}</li>}
        </ul>
        {chosen && (
          <section class="person" aria-labelledby="person-title">
            <h3 id="person-title">{fullName(chosen.customer)}</h3>
            <p>{chosen.customer.email} · {chosen.customer.phone}</p>
            <dl class="glance">
              <div><dt>{t.ordersCount}</dt><dd>{chosen.orders.total}</dd></div>
              <div><dt>{t.spent}</dt><dd>{rupees(chosen.orders.spent)}</dd></div>
              <div><dt>{t.averageOrder}</dt><dd>{chosen.orders.averageOrderValue === null ? '—' : rupees(chosen.orders.averageOrderValue)}</dd></div>
              <div><dt>{t.cancelled}</dt><dd>{chosen.orders.cancelled}</dd></div>
            </dl>
            <ul>
              {chosen.orders.recent.map((o) => (
                <li key={o.orderNumber}>{o.orderNumber} · {t.columns[o.status] ?? o.status} · {rupees(o.finalAmount)} · {new Date(o.createdAt).toLocaleDateString('en-IN')}</li>
              ))}
            </ul>
            <button type="button" class={chosen.customer.isActive ? '' : 'secondary'} onClick={() => block(chosen.customer)}>
              {chosen.customer.isActive ? t.block : t.unblock}
            </button>
          </section>
        )}
      </div>
    </section>
  );
}

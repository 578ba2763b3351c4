// Promo codes, under the settings (admins): the codes that exist with their use, a new one, and
// switching one off (past orders keep it).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { rupees } from '../../shared/money';
import { t } from '../strings';

interface Promo {
  code: string;
  type: 'percent' | 'flat';
  value: number;
  minOrderAmount: number;
  usageLimit: number | null;
  usedCount: number;
  isActive: boolean;
}

export function Promos() {
  const [promos, setPromos] = useState<Promo[]>([]);
  const [form, setForm] = useState({ code: '', type: 'percent', value: '', minOrderAmount: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const load = useCallback(async () => {
    try {
      setPromos(await api<Promo[]>('GET', '/admin/promo-codes'));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'ERROR', String(e)));
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', '/admin/promo-codes', { code: form.code.trim().toUpperCase(), type: form.type, value: Number(form.value),
        ...(form.minOrderAmount.trim() && { minOrderAmount: Number(form.minOrderAmount) }) });
      setForm({ code: '', type: 'percent', value: '', minOrderAmount: '' });
      await load();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    }
  };
  const off = async (p: Promo) => {
    setError(null);
    try {
      await api('DELETE', `/admin/promo-codes/${encodeURIComponent(p.code)}`);
      await load();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    }
  };
  const about = (f: string) => error?.about(f);
  return (
    <section class="promos" aria-labelledby="promos-title">
      <h3 id="promos-title">{t.promoCodes}</h3>
      <table class="jobs">
        <thead><tr><th scope="col">{t.code}</th><th scope="col">{t.discount}</th><th scope="col">{t.promoMin}</th><th scope="col">{t.used}</th><th scope="col"><span class="visually-hidden">{t.actions}</span></th></tr></thead>
        <tbody>
          {promos.map((p) => (
            <tr key={p.code}>
              <td>{p.code}{p.isActive ? '' : ` (${t.off})`}</td>
              <td>{p.type === 'percent' ? `${p.value}%` : rupees(p.value)}</td>
              <td>{rupees(p.minOrderAmount)}</td>
              <td>{p.usedCount}{p.usageLimit ? ` / ${p.usageLimit}` : ''}</td>
              <td>{p.isActive && <button type="button" class="secondary" aria-label={t.switchOffCode(p.code)} onClick={() => off(p)}>{t.switchOff}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="inline-form" onSubmit={create} noValidate aria-label={t.newCode}>
        <label for="promo-code">{t.code}</label>
        <input id="promo-code" value={form.code} aria-invalid={!!about('code')} onInput={(e) => setForm({ ...form, code: (e.target as HTMLInputElement).value })} />
        <label for="promo-type">{t.kind}</label>
        <select id="promo-type" value={form.type} onChange={(e) => setForm({ ...form, type: (e.target as HTMLSelectElement).value })}>
          <option value="percent">{t.percentOff}</option>
          <option value="flat">{t.rupeesOff}</option>
        </select>
        <label for="promo-value">{t.value}</label>
        <input id="promo-value" inputMode="decimal" value={form.value} aria-invalid={!!about('value')} onInput={(e) => setForm({ ...form, value: (e.target as HTMLInputElement).value })} />
        <label for="promo-min">{t.promoMin}</label>
        <input id="promo-min" inputMode="decimal" value={form.minOrderAmount} onInput={(e) => setForm({ ...form, minOrderAmount: (e.target as HTMLInputElement).value })} />
        <button type="submit">{t.addCode}</button>
        {error && <p class="field-error" role="alert">{about('code') ? `${t.code}: ${about('code')}` : about('value') ? `${t.value}: ${about('value')}` : error.message}</p>}
      </form>
    </section>
  );
}

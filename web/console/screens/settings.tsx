// The restaurant's settings for admins: name and contact, UPI id and tips, minimum order, tax,
// delivery fees and radius, opening hours per weekday, escalation minutes and the manager's phone.
// Saved together; a refusal is told beside the field it names.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { t } from '../strings';
import { Promos } from './promos';

interface Hours {
  day: number;
  open: string;
  close: string;
}
interface Settings {
  restaurantName: string;
  contactPhone: string | null;
  address: string | null;
  upiId: string | null;
  maxTip: number;
  minimumOrderAmount: number;
  taxRate: number;
  delivery: { baseFee: number; freeAbove: number | null; perKmFee: number; maxRadiusKm: number };
  openingHours: Hours[];
  escalation: { pendingMinutes: number; readyMinutes: number };
  managerPhone: string | null;
}

type Field = { key: string; label: string; get: (s: Settings) => string; set: (s: Settings, v: string) => Settings; numeric?: boolean };
const num = (v: string) => (v.trim() === '' ? NaN : Number(v));
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

const fields: Field[] = [
  { key: 'restaurantName', label: t.restaurantName, get: (s) => s.restaurantName, set: (s, v) => ({ ...s, restaurantName: v }) },
  { key: 'contactPhone', label: t.contactPhone, get: (s) => s.contactPhone ?? '', set: (s, v) => ({ ...s, contactPhone: orNull(v) }) },
  { key: 'address', label: t.address, get: (s) => s.address ?? '', set: (s, v) => ({ ...s, address: orNull(v) }) },
  { key: 'upiId', label: t.upiId, get: (s) => s.upiId ?? '', set: (s, v) => ({ ...s, upiId: orNull(v) }) },
  { key: 'maxTip', label: t.maxTip, numeric: true, get: (s) => String(s.maxTip), set: (s, v) => ({ ...s, maxTip: num(v) }) },
  { key: 'minimumOrderAmount', label: t.minimumOrder, numeric: true, get: (s) => String(s.minimumOrderAmount), set: (s, v) => ({ ...s, minimumOrderAmount: num(v) }) },
  { key: 'taxRate', label: t.taxRate, numeric: true, get: (s) => String(s.taxRate), set: (s, v) => ({ ...s, taxRate: num(v) }) },
  { key: 'delivery.baseFee', label: t.baseFee, numeric: true, get: (s) => String(s.delivery.baseFee), set: (s, v) => ({ ...s, delivery: { ...s.delivery, baseFee: num(v) } }) },
  { key: 'delivery.perKmFee', label: t.perKmFee, numeric: true, get: (s) => String(s.delivery.perKmFee), set: (s, v) => ({ ...s, delivery: { ...s.delivery, perKmFee: num(v) } }) },
  { key: 'delivery.freeAbove', label: t.freeAbove, numeric: true, get: (s) => (s.delivery.freeAbove === null ? '' : String(s.delivery.freeAbove)), set: (s, v) => ({ ...s, delivery: { ...s.delivery, freeAbove: v.trim() === '' ? null : num(v) } }) },
  { key: 'delivery.maxRadiusKm', label: t.radius, numeric: true, get: (s) => String(s.delivery.maxRadiusKm), set: (s, v) => ({ ...s, delivery: { ...s.delivery, maxRadiusKm: num(v) } }) },
  { key: 'escalation.pendingMinutes', label: t.pendingMinutes, numeric: true, get: (s) => String(s.escalation.pendingMinutes), set: (s, v) => ({ ...s, escalation: { ...s.escalation, pendingMinutes: num(v) } }) },
  { key: 'escalation.readyMinutes', label: t.readyMinutes, numeric: true, get: (s) => String(s.escalation.readyMinutes), set: (s, v) => ({ ...s, escalation: { ...s.escalation, readyMinutes: num(v) } }) },
  { key: 'managerPhone', label: t.managerPhone, get: (s) => s.managerPhone ?? '', set: (s, v) => ({ ...s, managerPhone: orNull(v) }) },
];

export function SettingsScreen() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState('');

  const adopt = (s: Settings) => {
    setSettings(s);
    setTexts(Object.fromEntries(fields.map((f) => [f.key, f.get(s)])));
  };
  useEffect(() => {
    api<Settings>('GET', '/admin/settings').then(adopt, (e) => setError(e));
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!settings) return;
    setError(null);
    setSaved('');
    let next = settings;
    for (const f of fields) next = f.set(next, texts[f.key] ?? '');
    const body = {
      restaurantName: next.restaurantName, contactPhone: next.contactPhone, address: next.address, upiId: next.upiId,
      maxTip: next.maxTip, minimumOrderAmount: next.minimumOrderAmount, taxRate: next.taxRate, delivery: next.delivery,
      escalation: next.escalation, managerPhone: next.managerPhone, openingHours: settings.openingHours,
    };
    try {
      adopt(await api<Settings>('PUT', '/admin/settings', body));
      setSaved(t.saved);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    }
  };
  const setHours = (hours: Hours[]) => settings && setSettings({ ...settings, openingHours: hours });

  if (!settings) return <section class="page">{error ? <p class="form-error" role="alert">{error.message}</p> : <p class="loading">{t.loading}</p>}</section>;
  const unnamed = error && !fields.some((f) => error.about(f.key)) && !error.details.some((d) => d.field.startsWith('openingHours'));
  return (
    <section class="page" aria-labelledby="settings-title">
      <h2 id="settings-title">{t.settings}</h2>
      <form class="settings" onSubmit={save} noValidate>
        {fields.map((f) => {
          const id = `setting-${f.key.replace('.', '-')}`;
          const problem = error?.about(f.key);
          return (
            <div class="setting" key={f.key}>
              <label for={id}>{f.label}</label>
              <input id={id} inputMode={f.numeric ? 'decimal' : undefined} value={texts[f.key] ?? ''} aria-invalid={!!problem}
                aria-describedby={problem ? `${id}-error` : undefined}
                onInput={(e) => {
                  setTexts((x) => ({ ...x, [f.key]: (e.target as HTMLInputElement).value }));
                  if (problem) setError(null); // the words go once the field is changed
                }} />
              {problem && <p id={`${id}-error`} class="field-error">{problem}</p>}
            </div>
          );
        })}
        <fieldset class="hours">
          <legend>{t.openingHours}</legend>
          {settings.openingHours.map((h, i) => (
            <div class="hour" key={i}>
              <label for={`day-${i}`} class="visually-hidden">{t.weekday}</label>
              <select id={`day-${i}`} value={h.day} onChange={(e) => setHours(settings.openingHours.map((x, j) => (j === i ? { ...x, day: Number((e.target as HTMLSelectElement).value) } : x)))}>
                {t.weekdays.map((d, n) => <option key={n} value={n}>{d}</option>)}
              </select>
              <label for={`open-${i}`}>{t.opens}</label>
              <input id={`open-${i}`} type="time" value={h.open} onInput={(e) => setHours(settings.openingHours.map((x, j) => (j === i ? { ...x, open: (e.target as HTMLInputElement).value } : x)))} />
              <label for={`close-${i}`}>{t.closes}</label>
              <input id={`close-${i}`} type="time" value={h.close} onInput={(e) => setHours(settings.openingHours.map((x, j) => (j === i ? { ...x, close: (e.target as HTMLInputElement).value } : x)))} />
              <button type="button" class="secondary" aria-label={t.removeHours(t.weekdays[h.day])} onClick={() => setHours(settings.openingHours.filter((_, j) => j !== i))}>✕</button>
              {error?.details.filter((d) => d.field.startsWith(`openingHours[${i}]`)).map((d) => <p class="field-error" key={d.field}>{d.message}</p>)}
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => setHours([...settings.openingHours, { day: 0, open: '11:00', close: '23:00' }])}>{t.addHours}</button>
        </fieldset>
        {unnamed && <p class="form-error" role="alert">{error!.details[0] ? `${error!.details[0].field}: ${error!.details[0].message}` : error!.message}</p>}
        {error && !unnamed && <p class="form-error" role="alert">{t.fixFields}</p>}
        <button type="submit">{t.saveSettings}</button>
        {saved && <p class="placed" role="status">{saved}</p>}
      </form>
      <Promos />
    </section>
  );
}

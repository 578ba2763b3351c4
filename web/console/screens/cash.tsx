// Riders' cash (admins): each shift's expected cash (change fund + cash collected − tips paid out
// of it) against what was counted at the counter, settled with the discrepancy shown; shifts whose
// discrepancy is not resolved yet; and the append-only ledger with its totals.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, apiWithMeta } from '../../shared/api';
import { rupees } from '../../shared/money';
import { t } from '../strings';

interface Shift {
  _id: string;
  deliveryPartner: { name?: string; firstName?: string } | null;
  date: string;
  isOpen: boolean;
  changeFund: number;
  totalCollected: number;
  totalUpi: number;
  totalTips: number;
  cashInHand: number;
  handover: { declaredAmount: number } | null;
  settlement: { isSettled: boolean; actualAmount: number | null; discrepancy: number | null; resolution: unknown | null };
}
interface Entry {
  _id: string;
  type: string;
  amount: number;
  order: { orderNumber: string } | null;
  by: { role: string };
  notes: string | null;
  createdAt: string;
}

const riderName = (s: Shift) => s.deliveryPartner?.name ?? s.deliveryPartner?.firstName ?? '—';

export function Cash() {
  const [open, setOpen] = useState<Shift[]>([]);
  const [unresolved, setUnresolved] = useState<Shift[]>([]);
  const [ledger, setLedger] = useState<Entry[]>([]);
  const [totals, setTotals] = useState<Record<string, number>>({});
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      const [unsettled, settled, entries] = await Promise.all([
        api<Shift[]>('GET', '/admin/cash-management/sessions?settled=false&limit=50'),
        api<Shift[]>('GET', '/admin/cash-management/sessions?settled=true&limit=50'),
        apiWithMeta<Entry[]>('GET', '/admin/cash-management/transactions?limit=30'),
      ]);
      setOpen(unsettled);
      setUnresolved(settled.filter((s) => (s.settlement.discrepancy ?? 0) !== 0 && !s.settlement.resolution));
      setLedger(entries.data);
      setTotals(entries.meta?.totals ?? {});
      setError('');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);

  return (
    <section class="page" aria-labelledby="cash-title">
      <div class="page-head">
        <h2 id="cash-title">{t.cash}</h2>
        <button type="button" class="secondary" onClick={load}>{t.refresh}</button>
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      <h3>{t.toSettle}</h3>
      {open.length === 0 && <p class="muted">{t.nothingToSettle}</p>}
      <ul class="shifts">{open.map((s) => <ShiftCard shift={s} key={s._id} onDone={load} />)}</ul>
      <h3>{t.unresolved}</h3>
      {unresolved.length === 0 && <p class="muted">{t.noUnresolved}</p>}
      <ul class="shifts">{unresolved.map((s) => <ShiftCard shift={s} key={s._id} onDone={load} />)}</ul>
      <h3>{t.ledger}</h3>
      <p class="muted">{Object.entries(totals).map(([k, v]) => `${t.ledgerTypes[k] ?? k}: ${rupees(v)}`).join(' · ')}</p>
      <table class="jobs">
        <thead><tr><th scope="col">{t.when}</th><th scope="col">{t.entry}</th><th scope="col">{t.amount}</th><th scope="col">{t.order}</th><th scope="col">{t.by}</th></tr></thead>
        <tbody>
          {ledger.map((e) => (
            <tr key={e._id}>
              <td>{new Date(e.createdAt).toLocaleString('en-IN')}</td>
              <td>{t.ledgerTypes[e.type] ?? e.type}{e.notes ? ` — ${e.notes}` : ''}</td>
              <td>{rupees(e.amount)}</td>
              <td>{e.order?.orderNumber ?? '—'}</td>
              <td>{e.by.role}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ShiftCard({ shift, onDone }: { shift: Shift; onDone: () => void }) {
  const [counted, setCounted] = useState('');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<Shift | null>(null);
  const id = shift._id;
  const s = result ?? shift;

  const settle = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const done = await api<Shift>('POST', '/admin/cash-management/sessions/settle', {
        sessionId: id, actualAmount: Number(counted), ...(notes.trim() && { notes: notes.trim() }),
      });
      setResult(done);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    }
  };
  const resolve = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', '/admin/cash-management/sessions/resolve', { sessionId: id, notes: notes.trim() });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    }
  };
  const fieldError = error?.about('actualAmount') ?? error?.about('notes');
  return (
    <li class="shift" data-shift={id}>
      <p>
        <strong>{riderName(s)}</strong> · {s.date} · {s.isOpen ? t.shiftOpen : t.shiftEnded}
      </p>
      <p class="muted">
        {t.changeFund} {rupees(s.changeFund)} · {t.cashCollected} {rupees(s.totalCollected)} · UPI {rupees(s.totalUpi)} · {t.tips} {rupees(s.totalTips)}
        {s.handover && <> · {t.declared} {rupees(s.handover.declaredAmount)}</>}
      </p>
      <p class="expected">{t.expectedCash}: <strong>{rupees(s.cashInHand)}</strong></p>
      {s.settlement.isSettled && (
        <p class={s.settlement.discrepancy ? 'form-error' : 'placed'} role="status">
          {t.settledWith(rupees(s.settlement.actualAmount ?? 0), rupees(s.settlement.discrepancy ?? 0))}
        </p>
      )}
      {!s.settlement.isSettled && (
        <form class="inline-form" onSubmit={settle} noValidate>
          <label for={`counted-${id}`}>{t.counted}</label>
          <input id={`counted-${id}`} inputMode="decimal" value={counted} aria-invalid={!!error?.about('actualAmount')}
            onInput={(e) => setCounted((e.target as HTMLInputElement).value)} />
          <label for={`notes-${id}`}>{t.notes}</label>
          <input id={`notes-${id}`} value={notes} onInput={(e) => setNotes((e.target as HTMLInputElement).value)} />
          <button type="submit" disabled={counted.trim() === ''}>{t.settle}</button>
        </form>
      )}
      {s.settlement.isSettled && (s.settlement.discrepancy ?? 0) !== 0 && !s.settlement.resolution && (
        <form class="inline-form" onSubmit={resolve} noValidate>
          <label for={`resolve-${id}`}>{t.resolveNotes}</label>
          <input id={`resolve-${id}`} value={notes} onInput={(e) => setNotes((e.target as HTMLInputElement).value)} />
          <button type="submit">{t.resolve}</button>
        </form>
      )}
      {error && <p class="field-error" role="alert">{fieldError ?? error.message}</p>}
    </li>
  );
}

// The audit log for admins: every money-affecting action, who did it, when, and what changed.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { t } from '../strings';

interface Entry {
  seq: number;
  at: string;
  actor: { id: string; role: string };
  action: string;
  subject: { type: string; id: string };
  before: unknown;
  after: unknown;
  note: string | null;
}

export function Audit() {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [action, setAction] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    api<Entry[]>('GET', `/admin/audit?limit=50${action ? `&action=${action}` : ''}`).then(setEntries, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [action]);
  return (
    <section class="page" aria-labelledby="audit-title">
      <h2 id="audit-title">{t.audit}</h2>
      <div class="inline-form">
        <label for="audit-action">{t.auditAction}</label>
        <select id="audit-action" value={action} onChange={(e) => setAction((e.target as HTMLSelectElement).value)}>
          <option value="">{t.all}</option>
          {Object.keys(t.auditActions).map((a) => <option key={a} value={a}>{t.auditActions[a]}</option>)}
        </select>
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      <table class="jobs">
        <thead><tr><th scope="col">{t.when}</th><th scope="col">{t.auditAction}</th><th scope="col">{t.by}</th><th scope="col">{t.what}</th></tr></thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{new Date(e.at).toLocaleString('en-IN')}</td>
              <td>{t.auditActions[e.action] ?? e.action}</td>
              <td>{e.actor.role}</td>
              <td><code>{JSON.stringify(e.after)}</code>{e.note ? ` — ${e.note}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p class="muted">{t.nothingYet}</p>}
    </section>
  );
}

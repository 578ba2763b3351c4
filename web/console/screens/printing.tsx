// Printing: each printer online or not, the latest jobs and their state, a reprint for any of them
// (the copy says REPRINT), and for admins a new printer whose token is shown this once with the
// command that starts its agent. When no printer works, any order prints from the browser on
// 58 mm paper (the print view).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { t } from '../strings';

interface Printer {
  _id: string;
  name: string;
  paperWidth: number;
  jobs: string[];
  online: boolean;
  lastSeenAt: string | null;
}
interface Job {
  _id: string;
  orderId: string;
  orderNumber: string;
  kind: string;
  state: string;
  reprint: boolean;
  createdAt: string;
  printedAt: string | null;
}

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString('en-IN', { hour: '2-digit', minute: '2-digit' }) : '—');

export function Printing({ admin, go }: { admin: boolean; go: (to: string) => void }) {
  const [printers, setPrinters] = useState<Printer[]>([]);
  const [jobs, setJobs] = useState<Job[]>([]);
  const [error, setError] = useState('');
  const [rowError, setRowError] = useState<Record<string, string>>({});

  const load = useCallback(async () => {
    try {
      const [p, j] = await Promise.all([api<Printer[]>('GET', '/admin/printers'), api<Job[]>('GET', '/admin/print-jobs?limit=30')]);
      setPrinters(p);
      setJobs(j);
      setError('');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);

  const reprint = async (job: Job) => {
    setRowError((x) => ({ ...x, [job._id]: '' }));
    try {
      await api('POST', `/admin/print-jobs/${job._id}/reprint`);
      await load();
    } catch (e) {
      setRowError((x) => ({ ...x, [job._id]: e instanceof ApiError ? e.message : String(e) }));
    }
  };

  return (
    <section class="page" aria-labelledby="printing-title">
      <div class="page-head">
        <h2 id="printing-title">{t.printing}</h2>
        <button type="button" class="secondary" onClick={load}>{t.refresh}</button>
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      <h3>{t.printers}</h3>
      {printers.length === 0 && <p class="muted">{t.noPrinters}</p>}
      <ul class="printers">
        {printers.map((p) => (
          <li key={p._id} class={p.online ? 'online' : 'offline-printer'}>
            <strong>{p.name}</strong> · {p.paperWidth} mm · {p.jobs.map((j) => t.jobKinds[j]).join(', ')} ·{' '}
            <span>{p.online ? t.online : p.lastSeenAt ? t.offlineSince(time(p.lastSeenAt)) : t.neverSeen}</span>
          </li>
        ))}
      </ul>
      {admin && <AddPrinter onAdded={load} />}
      <h3>{t.jobsTitle}</h3>
      <table class="jobs">
        <thead>
          <tr><th scope="col">{t.order}</th><th scope="col">{t.ticket}</th><th scope="col">{t.state}</th><th scope="col">{t.queuedAt}</th><th scope="col">{t.printedAt}</th><th scope="col"><span class="visually-hidden">{t.actions}</span></th></tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j._id} data-job={j._id}>
              <td>{j.orderNumber}</td>
              <td>{t.jobKinds[j.kind]}{j.reprint ? ` (${t.reprintMark})` : ''}</td>
              <td>{t.jobStates[j.state] ?? j.state}</td>
              <td>{time(j.createdAt)}</td>
              <td>{time(j.printedAt)}</td>
              <td>
                <button type="button" class="secondary" aria-label={`${t.reprint} ${t.jobKinds[j.kind]} ${j.orderNumber}`} onClick={() => reprint(j)}>{t.reprint}</button>{' '}
                <a href={`/console/print/${j.orderId}?kind=${j.kind}`} onClick={(e) => { e.preventDefault(); go(`/console/print/${j.orderId}?kind=${j.kind}`); }}>
                  {t.printInBrowser}
                </a>
                {rowError[j._id] && <p class="field-error" role="alert">{rowError[j._id]}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {jobs.length === 0 && <p class="muted">{t.noJobs}</p>}
    </section>
  );
}

function AddPrinter({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const [width, setWidth] = useState(58);
  const [kinds, setKinds] = useState<string[]>(['kitchen', 'bill']);
  const [error, setError] = useState<ApiError | null>(null);
  const [made, setMade] = useState<{ name: string; token: string } | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const p = await api<{ name: string; token: string }>('POST', '/admin/printers', { name: name.trim(), paperWidth: width, jobs: kinds });
      setMade(p);
      setName('');
      onAdded();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    }
  };
  return (
    <form class="add-printer" onSubmit={submit} noValidate>
      <h3>{t.addPrinter}</h3>
      <label for="printer-name">{t.printerName}</label>
      <input id="printer-name" value={name} aria-invalid={!!error?.about('name')} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      {error?.about('name') && <p class="field-error">{error.about('name')}</p>}
      <fieldset>
        <legend>{t.paper}</legend>
        {[58, 80].map((w) => (
          <label class="choice" key={w}><input type="radio" name="width" checked={width === w} onChange={() => setWidth(w)} />{w} mm</label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t.prints}</legend>
        {['kitchen', 'bill'].map((k) => (
          <label class="choice" key={k}>
            <input type="checkbox" checked={kinds.includes(k)} onChange={() => setKinds((ks) => (ks.includes(k) ? ks.filter((x) => x !== k) : [...ks, k]))} />
            {t.jobKinds[k]}
          </label>
        ))}
      </fieldset>
      {error?.about('jobs') && <p class="field-error">{error.about('jobs')}</p>}
      {error && !error.about('name') && !error.about('jobs') && <p class="form-error" role="alert">{error.message}</p>}
      <button type="submit">{t.addPrinter}</button>
      {made && (
        <div class="token" role="status">
          <p>{t.tokenOnce(made.name)}</p>
          <code>tiptop print-agent --server {location.origin} --token {made.token} --device /dev/usb/lp0</code>
        </div>
      )}
    </form>
  );
}

// Analytics (admins): today at a glance against yesterday, revenue by day split by how it was
// paid, popular dishes, and orders by hour of day — as charts (chart.js, loaded only when this
// screen opens) with the numbers on hover and in a table beside each; the period's orders as CSV
// with a progress count while it downloads.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, refresh, token } from '../../shared/api';
import { rupees } from '../../shared/money';
import { t } from '../strings';

interface Figures {
  orders: number;
  completed: number;
  cancelled: number;
  revenue: { total: number; online: number; cod: number; cash: number; upi: number };
  averageOrderValue: number;
}
interface Dashboard {
  date: string; // today in the restaurant's time zone (YYYY-MM-DD)
  today: Figures;
  yesterday: Figures;
  topItems: { name: string; quantity: number }[];
}
interface Revenue {
  series: (Figures & { period: string })[];
}
interface Popular {
  items: { name: string; quantity: number; revenue?: number }[];
}

const methods = ['cash', 'cod', 'upi', 'online'] as const;
const colours = { cash: '#2e7d32', cod: '#8a1c00', upi: '#1a5fb4', online: '#6b3fa0' };
// n days before a YYYY-MM-DD date. Periods count from the restaurant's today as the server has
// it (the dashboard's date), not the browser's: a device in another time zone, or any browser
// between midnight in India and midnight UTC, would otherwise ask for the wrong days.
const daysBefore = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
};

export function Analytics() {
  const [dash, setDash] = useState<Dashboard | null>(null);
  const [revenue, setRevenue] = useState<Revenue | null>(null);
  const [popular, setPopular] = useState<Popular | null>(null);
  const [hours, setHours] = useState<Revenue | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    api<Dashboard>('GET', '/admin/analytics/dashboard')
      .then((d) => {
        setDash(d);
        const [month, week] = [daysBefore(d.date, 29), daysBefore(d.date, 6)];
        return Promise.all([
          api<Revenue>('GET', `/admin/analytics/revenue?from=${month}&to=${d.date}&groupBy=day`),
          api<Popular>('GET', `/admin/analytics/popular-items?from=${month}&to=${d.date}&limit=10`),
          api<Revenue>('GET', `/admin/analytics/revenue?from=${week}&to=${d.date}&groupBy=hour`),
        ]);
      })
      .then(
        ([r, p, h]) => {
          setRevenue(r);
          setPopular(p);
          setHours(h);
        },
        (e) => setError(e instanceof ApiError ? e.message : String(e)),
      );
  }, []);

  return (
    <section class="page" aria-labelledby="analytics-title">
      <h2 id="analytics-title">{t.analytics}</h2>
      {error && <p class="form-error" role="alert">{error}</p>}
      {dash && (
        <dl class="glance" aria-label={t.today}>
          <div><dt>{t.todayRevenue}</dt><dd>{rupees(dash.today.revenue.total)}</dd><dd class="muted">{t.yesterdayWas(rupees(dash.yesterday.revenue.total))}</dd></div>
          <div><dt>{t.todayOrders}</dt><dd>{dash.today.orders}</dd><dd class="muted">{t.yesterdayWas(String(dash.yesterday.orders))}</dd></div>
          <div><dt>{t.completedToday}</dt><dd>{dash.today.completed}</dd><dd class="muted">{t.cancelledCount(dash.today.cancelled)}</dd></div>
          <div><dt>{t.averageOrder}</dt><dd>{rupees(dash.today.averageOrderValue)}</dd></div>
        </dl>
      )}
      {revenue && <RevenueChart data={revenue} />}
      {popular && <PopularChart data={popular} />}
      {hours && <HourHeat data={hours} />}
      {dash && <Export today={dash.date} />}
    </section>
  );
}

async function chartJs() {
  const { Chart, registerables } = await import('chart.js');
  Chart.register(...registerables);
  return Chart;
}

function RevenueChart({ data }: { data: Revenue }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    chartJs().then((Chart) => {
      chart = new Chart(canvas.current!, {
        type: 'bar',
        data: {
          labels: data.series.map((s) => s.period.slice(5)),
          datasets: methods.map((m) => ({ label: t.methodNames[m], data: data.series.map((s) => s.revenue[m]), backgroundColor: colours[m] })),
        },
        options: {
          animation: false,
          responsive: true,
          scales: { x: { stacked: true }, y: { stacked: true } },
          plugins: { tooltip: { callbacks: { label: (c: any) => `${c.dataset.label}: ${rupees(c.parsed.y)}` } } },
        },
      });
    });
    return () => chart?.destroy();
  }, [data]);
  const total = (m: (typeof methods)[number]) => data.series.reduce((a, s) => a + s.revenue[m], 0);
  return (
    <figure class="chart">
      <figcaption><h3>{t.revenueByDay}</h3></figcaption>
      <canvas ref={canvas} role="img" aria-label={t.revenueChartLabel} height={110} />
      <table class="jobs compact">
        <caption class="visually-hidden">{t.revenueByDay}</caption>
        <thead><tr><th scope="col">{t.method}</th><th scope="col">{t.last30}</th></tr></thead>
        <tbody>{methods.map((m) => <tr key={m}><th scope="row">{t.methodNames[m]}</th><td>{rupees(total(m))}</td></tr>)}</tbody>
      </table>
    </figure>
  );
}

function PopularChart({ data }: { data: Popular }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    chartJs().then((Chart) => {
      chart = new Chart(canvas.current!, {
        type: 'bar',
        data: { labels: data.items.map((i) => i.name), datasets: [{ label: t.sold, data: data.items.map((i) => i.quantity), backgroundColor: '#8a1c00' }] },
        options: { animation: false, indexAxis: 'y', maintainAspectRatio: false, plugins: { legend: { display: false } } },
      });
    });
    return () => chart?.destroy();
  }, [data]);
  return (
    <figure class="chart">
      <figcaption><h3>{t.popularDishes}</h3></figcaption>
      {data.items.length === 0 ? (
        <p class="muted">{t.noSales}</p>
      ) : (
        <div style={{ position: 'relative', height: `${3 + data.items.length * 2}rem` }}>
          <canvas ref={canvas} role="img" aria-label={t.popularChartLabel} />
        </div>
      )}
      <ol class="popular">{data.items.map((i) => <li key={i.name}>{i.name}: {i.quantity}</li>)}</ol>
    </figure>
  );
}

// Orders by weekday and hour: a table whose cells darken with the count (the count is the cell's text).
// A day's label names the restaurant's date as the server sent it (read as UTC midnight, so shown
// in UTC): in the browser's own zone it could name the day before.
function HourHeat({ data }: { data: Revenue }) {
  const byDay = new Map<string, number[]>();
  for (const s of data.series) {
    const [day, hour] = s.period.split('T');
    const row = byDay.get(day) ?? new Array(24).fill(0);
    row[Number(hour)] = s.orders;
    byDay.set(day, row);
  }
  const max = Math.max(1, ...[...byDay.values()].flat());
  return (
    <figure class="chart">
      <figcaption><h3>{t.hourHeat}</h3></figcaption>
      <div class="heat-wrap">
        <table class="heat">
          <thead><tr><th scope="col">{t.day}</th>{Array.from({ length: 24 }, (_, h) => <th scope="col" key={h}>{h}</th>)}</tr></thead>
          <tbody>
            {[...byDay.entries()].map(([day, row]) => (
              <tr key={day}>
                <th scope="row">{new Date(day).toLocaleDateString('en-IN', { weekday: 'short', day: 'numeric', timeZone: 'UTC' })}</th>
                {row.map((n, h) => <td key={h} class={`heat-${Math.ceil((n / max) * 4)}`} title={t.ordersAt(n, h)}>{n || ''}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

// The CSV of a period, streamed: the count of what arrived is shown while it downloads.
function Export({ today }: { today: string }) {
  const [from, setFrom] = useState(daysBefore(today, 29));
  const [to, setTo] = useState(today);
  const [progress, setProgress] = useState('');
  const [error, setError] = useState('');
  const [link, setLink] = useState<{ url: string; name: string } | null>(null);

  const download = async (e: Event) => {
    e.preventDefault();
    setError('');
    setLink(null);
    const url = `/api/v1/admin/analytics/export?from=${from}&to=${to}&format=csv`;
    try {
      let res = await fetch(url, { headers: { Authorization: `Bearer ${token()}` } });
      if (res.status === 401 && (await refresh())) res = await fetch(url, { headers: { Authorization: `Bearer ${token()}` } });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        const d = body?.error?.details?.[0];
        throw new Error(d ? `${d.field}: ${d.message}` : body?.error?.message ?? `The server answered ${res.status}`);
      }
      const reader = res.body!.getReader();
      const parts: Uint8Array[] = [];
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.length;
        setProgress(t.downloaded(Math.round(bytes / 1024)));
      }
      const blob = new Blob(parts as BlobPart[], { type: 'text/csv' });
      const lines = (await blob.text()).split('\n').filter(Boolean).length - 1;
      setProgress(t.downloadDone(lines));
      setLink({ url: URL.createObjectURL(blob), name: `tiptop-orders-${from}-to-${to}.csv` });
    } catch (err) {
      setProgress('');
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form class="inline-form export" onSubmit={download} noValidate aria-labelledby="export-title">
      <h3 id="export-title">{t.exportTitle}</h3>
      <label for="export-from">{t.from}</label>
      <input id="export-from" type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
      <label for="export-to">{t.to}</label>
      <input id="export-to" type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
      <button type="submit">{t.exportCsv}</button>
      {progress && <p role="status">{progress}</p>}
      {link && <a href={link.url} download={link.name}>{t.saveCsv}</a>}
      {error && <p class="field-error" role="alert">{error}</p>}
    </form>
  );
}

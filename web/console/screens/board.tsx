// The orders board, the console's home: open orders in columns by status, from the board route,
// kept current by the admin room's Socket.IO events (a change refetches; no polling while the
// socket is up; a reconnect catches up). Each card's actions answer errors next to the card.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { io } from 'socket.io-client';
import { api, ApiError, refresh, token } from '../../shared/api';
import { rupees } from '../../shared/money';
import { t } from '../strings';
import { OrderDetail } from './order-detail';

// A short chime through Web Audio (no sound file to fetch); silent where audio is not allowed yet.
let audio: AudioContext | null = null;
function ring() {
  try {
    audio ??= new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.15;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.35);
  } catch {
    /* no audio device */
  }
}
const kRingEveryMs = 8000;

interface Card {
  _id: string;
  orderNumber: string;
  orderType: 'delivery' | 'takeaway';
  status: string;
  customerName: string;
  itemCount: number;
  finalAmount: number;
  paymentMethod: string;
  ageMinutes: number;
  inStatusMinutes: number;
  late: boolean;
}
interface BoardData {
  columns: Record<string, Card[]>;
  counts: Record<string, number>;
}

const order = ['pending', 'confirmed', 'preparing', 'ready', 'out-for-delivery'];
const next: Record<string, string> = { pending: 'confirmed', confirmed: 'preparing', preparing: 'ready', ready: 'delivered' };

export function Board() {
  const [data, setData] = useState<BoardData | null>(null);
  const [loadError, setLoadError] = useState('');
  const [live, setLive] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [openId, setOpenId] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set()); // new orders nobody has opened yet
  // Orders the server says wait too long (escalation): not accepted, or ready with no rider.
  const [waiting, setWaiting] = useState<Record<string, { minutes: number; reason: string }>>({});
  const pending = useRef(false);

  const load = useCallback(async () => {
    if (pending.current) return;
    pending.current = true;
    try {
      setData(await api<BoardData>('GET', '/admin/orders/board'));
      setLoadError('');
    } catch (e) {
      setLoadError(e instanceof ApiError ? e.message : String(e));
    } finally {
      pending.current = false;
    }
  }, []);

  useEffect(() => {
    load();
    const socket = io({ transports: ['websocket'], auth: (cb) => cb({ token: token() }) });
    const changed = () => load();
    socket.on('connect', () => {
      setLive(true);
      load(); // catch up on what happened while disconnected
    });
    socket.on('disconnect', () => setLive(false));
    socket.on('connect_error', async () => {
      setLive(false);
      await refresh(); // an expired token: the next attempt carries a fresh one
    });
    socket.on('admin:new-order', (news: { orderId: string }) => {
      setFresh((f) => new Set(f).add(news.orderId));
      ring();
      load();
    });
    socket.on('admin:order-waiting', (w: { orderId: string; waitingMinutes: number; reason: string }) => {
      setWaiting((x) => ({ ...x, [w.orderId]: { minutes: w.waitingMinutes, reason: w.reason } }));
      ring();
      load();
    });
    for (const e of ['order:status:updated', 'order:assigned']) socket.on(e, changed);
    return () => socket.close();
  }, [load]);

  // Rings again while a new order waits unopened.
  useEffect(() => {
    if (fresh.size === 0) return;
    const timer = setInterval(ring, kRingEveryMs);
    return () => clearInterval(timer);
  }, [fresh.size]);
  const seen = (id: string) =>
    setFresh((f) => {
      const n = new Set(f);
      n.delete(id);
      return n;
    });

  const move = async (card: Card) => {
    seen(card._id);
    setErrors((x) => ({ ...x, [card._id]: '' }));
    try {
      await api('PUT', `/admin/orders/${card._id}`, { status: next[card.status] });
      await load();
    } catch (e) {
      setErrors((x) => ({ ...x, [card._id]: e instanceof ApiError ? e.message : String(e) }));
    }
  };

  if (!data) return <p class={loadError ? 'form-error' : 'loading'} role={loadError ? 'alert' : undefined}>{loadError || t.loading}</p>;
  return (
    <section class="board" aria-labelledby="board-title">
      <div class="board-head">
        <h2 id="board-title">{t.board}</h2>
        <span class={live ? 'live' : 'offline'} role="status">{live ? t.live : t.offline}</span>
        <span>{t.todayDelivered(data.counts.deliveredToday ?? 0)}</span>
        <span>{t.todayCancelled(data.counts.cancelledToday ?? 0)}</span>
      </div>
      {loadError && <p class="form-error" role="alert">{loadError}</p>}
      <div class="columns">
        {order.map((status) => (
          <section class="column" aria-labelledby={`col-${status}`} key={status}>
            <h3 id={`col-${status}`}>
              {t.columns[status]} <span class="count">{data.columns[status]?.length ?? 0}</span>
            </h3>
            <ul>
              {(data.columns[status] ?? []).map((c) => (
                <li class={`card ${c.orderType}${c.late ? ' late' : ''}${fresh.has(c._id) ? ' fresh' : ''}${waiting[c._id] && (waiting[c._id].reason === 'no-rider') === (c.status === 'ready') ? ' waiting' : ''}`} key={c._id}
                  data-order={c.orderNumber}>
                  <div class="card-top">
                    <button type="button" class="number" aria-label={t.open(c.orderNumber)}
                      onClick={() => {
                        seen(c._id);
                        setOpenId(c._id);
                      }}>
                      {c.orderNumber.slice(-5)}
                    </button>
                    {fresh.has(c._id) && <span class="badge-new">{t.newOrder}</span>}
                    <span class="type">{c.orderType === 'takeaway' ? t.takeaway : t.delivery}</span>
                    {c.late && <span class="badge-late">{t.late}</span>}
                    {waiting[c._id] && (waiting[c._id].reason === 'no-rider') === (c.status === 'ready') && (
                      <span class="badge-late">{waiting[c._id].reason === 'no-rider' ? t.noRiderFor(waiting[c._id].minutes) : t.waitingFor(waiting[c._id].minutes)}</span>
                    )}
                  </div>
                  <div>{c.customerName}</div>
                  <div class="muted">
                    {t.items(c.itemCount)} · {rupees(c.finalAmount)} · {c.paymentMethod} · {t.minutes(c.inStatusMinutes)}
                  </div>
                  {next[c.status] && status !== 'out-for-delivery' && !(c.status === 'ready' && c.orderType === 'delivery') && (
                    <button type="button" onClick={() => move(c)} aria-label={`${c.status === 'pending' ? t.accept : t.advance[c.status]} ${c.orderNumber}`}>
                      {c.status === 'pending' ? t.accept : t.advance[c.status]}
                    </button>
                  )}
                  {errors[c._id] && <p class="field-error" role="alert">{errors[c._id]}</p>}
                </li>
              ))}
              {(data.columns[status] ?? []).length === 0 && <li class="muted">{t.empty}</li>}
            </ul>
          </section>
        ))}
      </div>
      {openId && <OrderDetail id={openId} onClose={() => setOpenId(null)} onChanged={load} />}
    </section>
  );
}

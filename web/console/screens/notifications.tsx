// Notifications: the signed-in person's inbox (unread first, marked read one by one or all), and
// for admins a promotion sent to every customer who accepts them.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, apiWithMeta } from '../../shared/api';
import { t } from '../strings';

interface Note {
  _id: string;
  title: string;
  message: string;
  isRead: boolean;
  createdAt: string;
}

export function Notifications({ admin }: { admin: boolean }) {
  const [notes, setNotes] = useState<Note[]>([]);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    try {
      const page = await apiWithMeta<Note[]>('GET', '/notifications?sort=unread&limit=50');
      setNotes(page.data);
      setUnread(page.meta?.unreadCount ?? 0);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);
  const read = async (path: string) => {
    try {
      await api('PUT', path);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <section class="page" aria-labelledby="notes-title">
      <div class="page-head">
        <h2 id="notes-title">{t.notifications}</h2>
        <span role="status">{t.unread(unread)}</span>
        {unread > 0 && <button type="button" class="secondary" onClick={() => read('/notifications/read-all')}>{t.readAll}</button>}
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      <ul class="shifts">
        {notes.map((n) => (
          <li class={`shift${n.isRead ? '' : ' unread'}`} key={n._id}>
            <p><strong>{n.title}</strong> <span class="muted">{new Date(n.createdAt).toLocaleString('en-IN')}</span></p>
            <p>{n.message}</p>
            {!n.isRead && <button type="button" class="secondary" onClick={() => read(`/notifications/${n._id}/read`)} aria-label={t.markRead(n.title)}>{t.markReadShort}</button>}
          </li>
        ))}
        {notes.length === 0 && <li class="muted">{t.nothingYet}</li>}
      </ul>
      {admin && <Promotion />}
    </section>
  );
}

function Promotion() {
  const [title, setTitle] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState('');
  return (
    <form class="add-rider settings" noValidate onSubmit={async (e) => {
      e.preventDefault();
      setError(null);
      setSent('');
      try {
        await api('POST', '/admin/notifications', { title: title.trim(), message: message.trim(), channels: { push: false, sms: false, email: false } });
        setSent(t.promotionSent);
        setTitle('');
        setMessage('');
      } catch (err) {
        setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
      }
    }}>
      <h3>{t.sendPromotion}</h3>
      <div class="setting">
        <label for="promo-title">{t.titleLabel}</label>
        <input id="promo-title" value={title} aria-invalid={!!error?.about('title')} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
        {error?.about('title') && <p class="field-error">{error.about('title')}</p>}
      </div>
      <div class="setting">
        <label for="promo-message">{t.messageLabel}</label>
        <input id="promo-message" value={message} aria-invalid={!!error?.about('message')} onInput={(e) => setMessage((e.target as HTMLInputElement).value)} />
        {error?.about('message') && <p class="field-error">{error.about('message')}</p>}
      </div>
      {error && !error.about('title') && !error.about('message') && <p class="form-error" role="alert">{error.message}</p>}
      <button type="submit">{t.send}</button>
      {sent && <p class="placed" role="status">{sent}</p>}
    </form>
  );
}

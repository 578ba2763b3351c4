// Open or close the shop from every screen (admins): closing asks for the reason customers will
// read. The state is the server's (GET /settings), so two consoles never disagree for long.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../shared/api';
import { t } from './strings';

interface PublicSettings {
  isOpen: boolean;
  closedReason: string | null;
}

export function ShopSwitch() {
  const [settings, setSettings] = useState<PublicSettings | null>(null);
  const [closing, setClosing] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    api<PublicSettings>('GET', '/settings').then(setSettings, (e) => setError(e.message));
  }, []);

  const save = async (body: object) => {
    setError('');
    try {
      setSettings(await api<PublicSettings>('PUT', '/admin/settings', body));
      setClosing(false);
      setReason('');
    } catch (e) {
      setError(e instanceof ApiError ? e.about('closedReason') ?? e.message : String(e));
    }
  };

  if (!settings) return error ? <p class="field-error" role="alert">{error}</p> : null;
  return (
    <div class="shop-switch">
      <span class={settings.isOpen ? 'live' : 'offline'} role="status">
        {settings.isOpen ? t.shopOpen : t.shopClosed(settings.closedReason)}
      </span>
      {settings.isOpen && !closing && (
        <button type="button" onClick={() => setClosing(true)}>{t.closeShop}</button>
      )}
      {settings.isOpen && closing && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            save({ isOpen: false, closedReason: reason.trim() });
          }}
        >
          <label for="closed-reason">{t.closedReasonLabel}</label>
          <input id="closed-reason" value={reason} required maxLength={200} aria-invalid={!!error}
            aria-describedby={error ? 'shop-error' : undefined}
            onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          <button type="submit" disabled={!reason.trim()}>{t.closeNow}</button>
          <button type="button" class="secondary" onClick={() => setClosing(false)}>{t.cancel}</button>
        </form>
      )}
      {!settings.isOpen && (
        <button type="button" onClick={() => save({ isOpen: true, closedReason: null })}>{t.openShop}</button>
      )}
      {error && <p id="shop-error" class="field-error" role="alert">{error}</p>}
    </div>
  );
}

// A dish in full, for admins: name, description, price, category, vegetarian, its choice groups
// (each required or not, one or several options, each option with its extra price) and its photo
// (previewed before it goes, uploaded with a progress count). Opened as a modal dialog.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, refresh, token } from '../../shared/api';
import { t } from '../strings';

interface Option {
  label: string;
  price: number;
}
interface Group {
  name: string;
  required: boolean;
  multiple: boolean;
  options: Option[];
}
interface Dish {
  _id: string;
  name: string;
  description: string;
  price: number;
  category: { main: string };
  isVegetarian: boolean;
  image: string | null;
  customizations: Group[];
}

// The photo goes with XMLHttpRequest: fetch cannot report upload progress.
function upload(id: string, file: File, progress: (pct: number) => void): Promise<Dish> {
  const once = () =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/v1/admin/menu/items/${id}/images`);
      xhr.setRequestHeader('Authorization', `Bearer ${token()}`);
      xhr.upload.onprogress = (e) => e.lengthComputable && progress(Math.round((e.loaded / e.total) * 100));
      xhr.onload = () => resolve({ status: xhr.status, body: JSON.parse(xhr.responseText || 'null') });
      xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached. Check the connection and try again.'));
      const form = new FormData();
      form.append('image', file);
      xhr.send(form);
    });
  return once()
    .then(async (r) => (r.status === 401 && (await refresh()) ? once() : r))
    .then((r) => {
      if (r.status >= 400 || !r.body?.success) {
        const e = r.body?.error ?? {};
        throw new ApiError(r.status, e.code ?? 'HTTP_' + r.status, e.message ?? `The server answered ${r.status}`, e.details ?? []);
      }
      return r.body.data.item as Dish;
    });
}

export function DishEditor({ id, categories, onClose, onSaved }: { id: string; categories: string[]; onClose: () => void; onSaved: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [dish, setDish] = useState<Dish | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState('');
  const [preview, setPreview] = useState<{ file: File; url: string } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
    api<Dish>('GET', `/menu/items/${id}`).then(setDish, (e) => setError(e));
  }, [id]);
  useEffect(() => () => preview && URL.revokeObjectURL(preview.url), [preview]);

  if (!dish) return <dialog ref={dialog} class="detail" aria-label={t.editDish} onClose={onClose}>{error ? <p class="form-error" role="alert">{error.message}</p> : t.loading}</dialog>;
  const change = (d: Partial<Dish>) => setDish({ ...dish, ...d });
  const setGroup = (i: number, g: Partial<Group>) => change({ customizations: dish.customizations.map((x, j) => (j === i ? { ...x, ...g } : x)) });
  const about = (field: string) => error?.details.filter((d) => d.field === field || d.field.startsWith(field + '[') || d.field.startsWith(field + '.')).map((d) => d.message).join('; ');

  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setSaved('');
    try {
      const body = { name: dish.name, description: dish.description, price: Number(dish.price), category: { main: dish.category.main },
        isVegetarian: dish.isVegetarian, customizations: dish.customizations.map((g) => ({ ...g, options: g.options.map((o) => ({ label: o.label, price: Number(o.price) })) })) };
      setDish(await api<Dish>('PUT', `/admin/menu/items/${id}`, body));
      setSaved(t.saved);
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    }
  };
  const sendPhoto = async () => {
    if (!preview) return;
    setError(null);
    setProgress(0);
    try {
      const updated = await upload(id, preview.file, setProgress);
      setDish({ ...dish, image: updated.image });
      setPreview(null);
      setSaved(t.photoSaved);
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    } finally {
      setProgress(null);
    }
  };

  return (
    <dialog ref={dialog} class="detail dish-editor" aria-labelledby="dish-title" onClose={onClose}>
      <div class="detail-head">
        <h2 id="dish-title">{t.editDish}: {dish.name}</h2>
        <button type="button" class="secondary" onClick={() => dialog.current?.close()}>{t.close}</button>
      </div>
      <form onSubmit={save} noValidate>
        <label for="dish-name">{t.dishName}</label>
        <input id="dish-name" value={dish.name} aria-invalid={!!about('name')} onInput={(e) => change({ name: (e.target as HTMLInputElement).value })} />
        {about('name') && <p class="field-error">{about('name')}</p>}
        <label for="dish-description">{t.description}</label>
        <textarea id="dish-description" value={dish.description} onInput={(e) => change({ description: (e.target as HTMLTextAreaElement).value })} />
        <label for="dish-price">{t.price}</label>
        <input id="dish-price" inputMode="decimal" value={String(dish.price)} aria-invalid={!!about('price')} onInput={(e) => change({ price: (e.target as HTMLInputElement).value as unknown as number })} />
        {about('price') && <p class="field-error">{about('price')}</p>}
        <label for="dish-category">{t.category}</label>
        <select id="dish-category" value={dish.category.main} onChange={(e) => change({ category: { main: (e.target as HTMLSelectElement).value } })}>
          {categories.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
        <label class="choice"><input type="checkbox" checked={dish.isVegetarian} onChange={() => change({ isVegetarian: !dish.isVegetarian })} />{t.vegetarian}</label>

        <h3>{t.choiceGroups}</h3>
        {dish.customizations.map((g, i) => (
          <fieldset class="group" key={i}>
            <legend>{g.name || t.newGroup}</legend>
            <label for={`group-${i}`}>{t.groupName}</label>
            <input id={`group-${i}`} value={g.name} onInput={(e) => setGroup(i, { name: (e.target as HTMLInputElement).value })} />
            <label class="choice"><input type="checkbox" checked={g.required} onChange={() => setGroup(i, { required: !g.required })} />{t.mustChoose}</label>
            <label class="choice"><input type="checkbox" checked={g.multiple} onChange={() => setGroup(i, { multiple: !g.multiple })} />{t.several}</label>
            {g.options.map((o, k) => (
              <div class="hour" key={k}>
                <label for={`opt-${i}-${k}`}>{t.option}</label>
                <input id={`opt-${i}-${k}`} value={o.label} onInput={(e) => setGroup(i, { options: g.options.map((x, j) => (j === k ? { ...x, label: (e.target as HTMLInputElement).value } : x)) })} />
                <label for={`optp-${i}-${k}`}>{t.extra}</label>
                <input id={`optp-${i}-${k}`} inputMode="decimal" value={String(o.price)} onInput={(e) => setGroup(i, { options: g.options.map((x, j) => (j === k ? { ...x, price: (e.target as HTMLInputElement).value as unknown as number } : x)) })} />
                <button type="button" class="secondary" aria-label={t.removeOption(o.label)} onClick={() => setGroup(i, { options: g.options.filter((_, j) => j !== k) })}>✕</button>
              </div>
            ))}
            <button type="button" class="secondary" onClick={() => setGroup(i, { options: [...g.options, { label: '', price: 0 }] })}>{t.addOption}</button>{' '}
            <button type="button" class="secondary" onClick={() => change({ customizations: dish.customizations.filter((_, j) => j !== i) })}>{t.removeGroup}</button>
            {about(`customizations[${i}]`) && <p class="field-error">{about(`customizations[${i}]`)}</p>}
          </fieldset>
        ))}
        <button type="button" class="secondary" onClick={() => change({ customizations: [...dish.customizations, { name: '', required: false, multiple: false, options: [{ label: '', price: 0 }] }] })}>{t.addGroup}</button>
        {error && !about('name') && !about('price') && !about('customizations') && <p class="form-error" role="alert">{error.message}</p>}
        {error && (about('name') || about('price') || about('customizations')) && <p class="form-error" role="alert">{t.fixFields}</p>}
        <div class="row"><button type="submit">{t.saveDish}</button></div>
      </form>

      <h3>{t.photo}</h3>
      <div class="photo">
        {(preview?.url ?? dish.image) && <img src={preview?.url ?? dish.image!} alt={t.photoOf(dish.name)} width={160} />}
        <label for="dish-photo">{t.choosePhoto}</label>
        <input id="dish-photo" type="file" accept="image/jpeg,image/png,image/webp"
          onChange={(e) => {
            const f = (e.target as HTMLInputElement).files?.[0];
            if (f) setPreview({ file: f, url: URL.createObjectURL(f) });
          }} />
        <button type="button" disabled={!preview || progress !== null} onClick={sendPhoto}>{t.uploadPhoto}</button>
        {progress !== null && <progress max={100} value={progress} aria-label={t.uploading}>{progress}%</progress>}
        {about('image') && <p class="field-error" role="alert">{about('image')}</p>}
      </div>
      {saved && <p class="placed" role="status">{saved}</p>}
    </dialog>
  );
}

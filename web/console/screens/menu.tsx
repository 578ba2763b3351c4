// The menu for admins: categories in the menu's order (moved with arrow buttons, switched off and
// on, added), and every item — sold-out, hidden and deleted ones too — searched and filtered, made
// available or sold out in one tap, repriced, added, or deleted (kept for past orders).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, apiWithMeta } from '../../shared/api';
import { rupees } from '../../shared/money';
import { t } from '../strings';
import { DishEditor } from './dish-editor';

interface Category {
  _id: string;
  name: string;
  isActive: boolean;
  itemCount: number;
  servingHours: { from: string; until: string } | null;
}
interface Item {
  _id: string;
  name: string;
  plateQuantity: string | null;
  price: number;
  category: { main: string };
  isAvailable: boolean;
  state: string;
}

const errorText = (e: unknown) => (e instanceof ApiError ? (e.details[0] ? `${e.message}: ${e.details.map((d) => d.message).join('; ')}` : e.message) : String(e));

export function Menu() {
  const [categories, setCategories] = useState<Category[]>([]);
  const [catError, setCatError] = useState('');
  const loadCategories = useCallback(async () => {
    try {
      setCategories(await api<Category[]>('GET', '/admin/categories'));
    } catch (e) {
      setCatError(errorText(e));
    }
  }, []);
  useEffect(() => {
    loadCategories();
  }, [loadCategories]);

  const move = async (i: number, by: number) => {
    const order = categories.map((c) => c._id);
    [order[i], order[i + by]] = [order[i + by], order[i]];
    setCatError('');
    try {
      setCategories(await api<Category[]>('PUT', '/admin/categories/order', { order }));
    } catch (e) {
      setCatError(errorText(e));
    }
  };
  const toggle = async (c: Category) => {
    setCatError('');
    try {
      await api('PUT', `/admin/categories/${c._id}`, { isActive: !c.isActive });
      await loadCategories();
    } catch (e) {
      setCatError(errorText(e));
    }
  };

  return (
    <section class="page" aria-labelledby="menu-title">
      <h2 id="menu-title">{t.menu}</h2>
      <div class="menu-grid">
        <section aria-labelledby="cat-title">
          <h3 id="cat-title">{t.categories}</h3>
          <ol class="categories">
            {categories.map((c, i) => (
              <li key={c._id} class={c.isActive ? '' : 'switched-off'}>
                <span class="cat-name">{c.name} <span class="muted">({c.itemCount}){c.servingHours ? ` · ${c.servingHours.from}–${c.servingHours.until}` : ''}</span></span>
                <button type="button" class="secondary" aria-label={t.moveUp(c.name)} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                <button type="button" class="secondary" aria-label={t.moveDown(c.name)} disabled={i === categories.length - 1} onClick={() => move(i, 1)}>↓</button>
                <button type="button" aria-pressed={c.isActive} aria-label={t.categoryOn(c.name)} class={c.isActive ? '' : 'secondary'} onClick={() => toggle(c)}>
                  {c.isActive ? t.on : t.off}
                </button>
              </li>
            ))}
          </ol>
          {catError && <p class="field-error" role="alert">{catError}</p>}
          <AddCategory onAdded={loadCategories} />
        </section>
        <Items categories={categories} onChanged={loadCategories} />
      </div>
    </section>
  );
}

function AddCategory({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  return (
    <form class="inline-form" noValidate onSubmit={async (e) => {
      e.preventDefault();
      setError('');
      try {
        await api('POST', '/admin/categories', { name: name.trim() });
        setName('');
        onAdded();
      } catch (err) {
        setError(err instanceof ApiError ? err.about('name') ?? err.message : String(err));
      }
    }}>
      <label for="new-category">{t.newCategory}</label>
      <input id="new-category" value={name} aria-invalid={!!error} aria-describedby={error ? 'new-category-error' : undefined}
        onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <button type="submit">{t.add}</button>
      {error && <p id="new-category-error" class="field-error" role="alert">{error}</p>}
    </form>
  );
}

function Items({ categories, onChanged }: { categories: Category[]; onChanged: () => void }) {
  const [items, setItems] = useState<Item[]>([]);
  const [total, setTotal] = useState(0);
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [state, setState] = useState('');
  const [error, setError] = useState('');
  const [rowError, setRowError] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<string | null>(null);

  const load = useCallback(async () => {
    const query = new URLSearchParams({ limit: '100' });
    if (q.trim()) query.set('q', q.trim());
    if (category) query.set('category', category);
    if (state) query.set('state', state);
    try {
      const page = await apiWithMeta<Item[]>('GET', `/admin/menu/items?${query}`);
      setItems(page.data);
      setTotal(page.meta?.pagination?.total ?? page.data.length);
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  }, [q, category, state]);
  useEffect(() => {
    const timer = setTimeout(load, 200);
    return () => clearTimeout(timer);
  }, [load]);

  const act = async (item: Item, call: () => Promise<unknown>) => {
    setRowError((x) => ({ ...x, [item._id]: '' }));
    try {
      await call();
      await load();
      onChanged();
    } catch (e) {
      setRowError((x) => ({ ...x, [item._id]: errorText(e) }));
    }
  };

  return (
    <section aria-labelledby="items-title">
      <h3 id="items-title">{t.dishes} <span class="muted">({total})</span></h3>
      <div class="inline-form">
        <label for="item-search">{t.searchDishes}</label>
        <input id="item-search" type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <label for="item-category">{t.category}</label>
        <select id="item-category" value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value)}>
          <option value="">{t.all}</option>
          {categories.map((c) => <option key={c._id} value={c._id}>{c.name}</option>)}
        </select>
        <label for="item-state">{t.state}</label>
        <select id="item-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
          <option value="">{t.onTheMenu}</option>
          {['available', 'unavailable', 'hidden', 'deleted', 'all'].map((s) => <option key={s} value={s}>{t.itemStates[s]}</option>)}
        </select>
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      <AddItem categories={categories} onAdded={() => { load(); onChanged(); }} />
      <table class="jobs">
        <thead><tr><th scope="col">{t.dish}</th><th scope="col">{t.category}</th><th scope="col">{t.price}</th><th scope="col">{t.state}</th><th scope="col"><span class="visually-hidden">{t.actions}</span></th></tr></thead>
        <tbody>
          {items.map((i) => (
            <tr key={i._id} data-item={i._id}>
              <td>{i.name}{i.plateQuantity ? ` (${i.plateQuantity})` : ''}</td>
              <td>{i.category.main}</td>
              <td><Price item={i} onSave={(price) => act(i, () => api('PUT', `/admin/menu/items/${i._id}`, { price }))} /></td>
              <td>{t.itemStates[i.state] ?? i.state}</td>
              <td>
                {i.state !== 'deleted' && (
                  <>
                    <button type="button" class="secondary" aria-label={t.editNamed(i.name)} onClick={() => setEditing(i._id)}>{t.edit}</button>{' '}
                    <label class="choice">
                      <input type="checkbox" checked={i.isAvailable}
                        onChange={() => act(i, () => api('PATCH', `/admin/menu/items/${i._id}/availability`, { isAvailable: !i.isAvailable }))} />
                      {t.availableToggle}
                    </label>
                    <button type="button" class="secondary" aria-label={t.deleteDish(i.name)}
                      onClick={() => confirm(t.confirmDelete(i.name)) && act(i, () => api('DELETE', `/admin/menu/items/${i._id}`))}>
                      {t.delete}
                    </button>
                  </>
                )}
                {rowError[i._id] && <p class="field-error" role="alert">{rowError[i._id]}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && <DishEditor id={editing} categories={categories.map((c) => c.name)} onClose={() => setEditing(null)} onSaved={load} />}
    </section>
  );
}

function Price({ item, onSave }: { item: Item; onSave: (price: number) => void }) {
  const [value, setValue] = useState(String(item.price));
  const id = `price-${item._id}`;
  return (
    <form class="price" noValidate onSubmit={(e) => { e.preventDefault(); onSave(Number(value)); }}>
      <label for={id} class="visually-hidden">{t.priceOf(item.name)}</label>
      <input id={id} inputMode="decimal" value={value} size={6} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
      {Number(value) !== item.price && <button type="submit">{t.save}</button>}
      {Number(value) === item.price && <span class="visually-hidden">{rupees(item.price)}</span>}
    </form>
  );
}

function AddItem({ categories, onAdded }: { categories: Category[]; onAdded: () => void }) {
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [category, setCategory] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', '/admin/menu/items', { name: name.trim(), price: Number(price), category: { main: category || categories[0]?.name } });
      setName('');
      setPrice('');
      onAdded();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    }
  };
  return (
    <form class="inline-form add-item" onSubmit={submit} noValidate aria-label={t.addDish}>
      <label for="new-dish">{t.newDish}</label>
      <input id="new-dish" value={name} aria-invalid={!!error?.about('name')} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <label for="new-price">{t.price}</label>
      <input id="new-price" inputMode="decimal" value={price} size={6} aria-invalid={!!error?.about('price')} onInput={(e) => setPrice((e.target as HTMLInputElement).value)} />
      <label for="new-dish-category">{t.category}</label>
      <select id="new-dish-category" value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value)}>
        {categories.map((c) => <option key={c._id} value={c.name}>{c.name}</option>)}
      </select>
      <button type="submit">{t.addDish}</button>
      {error && <p class="field-error" role="alert">{error.about('name') ?? error.about('price') ?? error.message}</p>}
    </form>
  );
}

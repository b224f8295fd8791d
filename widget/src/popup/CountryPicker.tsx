/**
 * The searchable country list: a combobox search field driving a listbox
 * (arrow keys move, Enter picks, Esc goes back), shown in place of the
 * identifier form so the popup keeps its size.
 */
import type { JSX } from 'preact';
import { type Country, flagOf } from './countries.ts';
import { useEffect, useMemo, useRef, useState } from './hooks.ts';
import css from './picker.css?inline';
import type { Store } from './store.ts';
import { adoptStyles } from './styles.ts';

/** Shadow roots that already have the picker's styles (each popup opening has its own). */
const styled = new WeakSet<Node>();

/** Props of {@link CountryPicker}. */
export interface CountryPickerProps {
  store: Store;
  onPick: (country: Country) => void;
  onCancel: () => void;
}

const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The country picker. */
export function CountryPicker({ store, onPick, onCancel }: CountryPickerProps): JSX.Element {
  const t = store.tr.value;
  const current = store.country.value;
  const offered = store.countries.value;
  const [query, setQuery] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);

  const sorted = useMemo(() => {
    const collator = new Intl.Collator(t.lang);
    return offered
      .map((country) => ({ country, name: store.countryName(country.iso2) }))
      .sort((a, b) => collator.compare(a.name, b.name));
  }, [t.lang, offered]);

  const matches = useMemo(() => {
    const q = fold(query.trim()).replace(/^\+/, '');
    if (!q) return sorted;
    return sorted.filter(
      ({ country, name }) =>
        fold(name).includes(q) ||
        country.iso2.toLowerCase() === q ||
        country.dialCode.startsWith(q),
    );
  }, [sorted, query]);

  const [active, setActive] = useState(() =>
    Math.max(
      0,
      sorted.findIndex(({ country }) => country.iso2 === current.iso2),
    ),
  );
  const activeItem = matches[Math.min(active, matches.length - 1)];

  useEffect(() => {
    const root = search.current?.getRootNode();
    if (root instanceof ShadowRoot && !styled.has(root)) {
      styled.add(root);
      adoptStyles(root, css);
    }
    search.current?.focus();
  }, []);
  useEffect(() => {
    if (!activeItem) return;
    const option = list.current?.querySelector(`#otpkit-country-${activeItem.country.iso2}`);
    option?.scrollIntoView?.({ block: 'nearest' });
  }, [activeItem]);

  const onKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLInputElement>): void => {
    const last = matches.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: Math.min(active + 1, last),
      ArrowUp: Math.max(active - 1, 0),
      PageDown: Math.min(active + 8, last),
      PageUp: Math.max(active - 8, 0),
    };
    if (event.key in moves) {
      event.preventDefault();
      setActive(moves[event.key] ?? 0);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (activeItem) onPick(activeItem.country);
    } else if (event.key === 'Escape') {
      // Esc leaves the list, not the whole popup.
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  };

  return (
    <div class="pk">
      <div class="ph">
        <button type="button" class="a" onClick={onCancel}>
          {t.t('country.back')}
        </button>
        <h2 id="otpkit-title">{t.t('country.list')}</h2>
      </div>
      <input
        ref={search}
        class="i"
        type="search"
        role="combobox"
        aria-label={t.t('country.search')}
        placeholder={t.t('country.search')}
        aria-expanded="true"
        aria-controls="otpkit-countries"
        aria-autocomplete="list"
        aria-activedescendant={activeItem ? `otpkit-country-${activeItem.country.iso2}` : undefined}
        autocomplete="off"
        value={query}
        onInput={(event) => {
          setQuery(event.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <div
        id="otpkit-countries"
        class="cs"
        role="listbox"
        aria-label={t.t('country.list')}
        ref={list}
      >
        {matches.map(({ country, name }) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the search field's combobox handles keys.
          <div
            key={country.iso2}
            id={`otpkit-country-${country.iso2}`}
            role="option"
            tabIndex={-1}
            aria-selected={country === activeItem?.country ? 'true' : 'false'}
            class={country.iso2 === current.iso2 ? 'cu' : undefined}
            onClick={() => onPick(country)}
          >
            <span class="fl" aria-hidden="true">
              {flagOf(country.iso2)}
            </span>
            <span class="n">{name}</span>
            <span class="dl">+{country.dialCode}</span>
          </div>
        ))}
      </div>
      {matches.length === 0 && (
        <p class="m" role="status">
          {t.t('country.none', { query })}
        </p>
      )}
    </div>
  );
}

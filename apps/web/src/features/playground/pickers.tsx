import { useEffect, useId, useRef, useState } from "react";

/**
 * Choices made with radio buttons: one Tab stop per group, arrow keys move the choice, and a
 * screen reader says "3 of 13" without any ARIA of ours.
 */

interface SegmentedProps<T extends string> {
  legend: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}

/** A few mutually exclusive modes, drawn as a row of joined buttons. */
export function Segmented<T extends string>({
  legend,
  options,
  value,
  onChange,
}: SegmentedProps<T>) {
  const name = useId();
  return (
    <fieldset className="pg-segmented">
      <legend>{legend}</legend>
      <div className="pg-segments">
        {options.map((option) => (
          <label key={option.value}>
            <input
              type="radio"
              className="visually-hidden"
              name={name}
              value={option.value}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export interface PickerItem {
  key: string;
  /** The protocol name (tool name, URI...), shown as code. */
  name: string;
  title?: string | undefined;
  /** A second line in code, e.g. a resource's URI under its name. */
  detail?: string | undefined;
  description?: string | undefined;
  /** Short facts shown as badges, e.g. "read-only". */
  tags?: readonly string[];
  /** Items with a group are listed under that heading (resources, templates). */
  group?: string;
}

interface ItemPickerProps {
  legend: string;
  items: readonly PickerItem[];
  selected: string | null;
  onSelect: (key: string) => void;
}

/** Long lists get a filter box: server-everything alone has over a dozen tools. */
const FILTER_FROM = 7;

/** A list of things to try (tools, resources, prompts), each with its name, title and description. */
export function ItemPicker({ legend, items, selected, onSelect }: ItemPickerProps) {
  const name = useId();
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const shown = needle
    ? items.filter((item) =>
        [item.name, item.title, item.detail, item.description].some((text) =>
          text?.toLowerCase().includes(needle),
        ),
      )
    : items;
  const groups = [...new Set(shown.map((item) => item.group ?? ""))];
  const ref = useRef<HTMLFieldSetElement>(null);

  // A choice made by a link (?tool=...) may sit far down a long list: bring it into the list's
  // view once, when the list appears, scrolling only the list, not the page.
  useEffect(() => {
    const item = ref.current?.querySelector<HTMLElement>(".pg-options li.selected");
    const list = item?.closest<HTMLElement>(".pg-scroll");
    if (item && list) list.scrollTop = item.offsetTop - list.clientHeight / 3;
  }, []);

  return (
    <fieldset className="pg-picker" ref={ref}>
      <legend>{legend}</legend>
      {items.length >= FILTER_FROM ? (
        <label className="pg-filter">
          <span className="visually-hidden">Filter {legend.toLowerCase()}</span>
          <input
            type="search"
            placeholder="Filter…"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
        </label>
      ) : null}
      {shown.length === 0 ? <p className="muted">Nothing matches “{filter}”.</p> : null}
      <div className="pg-scroll">
        {groups.map((group) => (
          <div key={group}>
            {group ? <p className="pg-group">{group}</p> : null}
            <ul className="pg-options">
              {shown
                .filter((item) => (item.group ?? "") === group)
                .map((item) => {
                  // Keys are URIs and names with any characters; ids must not hold spaces.
                  const id = `${name}-${items.indexOf(item)}`;
                  return (
                    <li key={item.key} className={item.key === selected ? "selected" : undefined}>
                      <input
                        type="radio"
                        id={id}
                        name={name}
                        checked={item.key === selected}
                        onChange={() => onSelect(item.key)}
                        aria-describedby={item.description ? `${id}-description` : undefined}
                      />
                      <label htmlFor={id}>
                        <code>{item.name}</code>
                        {item.title && item.title !== item.name ? (
                          <span className="pg-option-title">{item.title}</span>
                        ) : null}
                        {item.tags?.map((tag) => (
                          <span key={tag} className="badge">
                            {tag}
                          </span>
                        ))}
                        {item.detail ? (
                          <code className="pg-option-detail">{item.detail}</code>
                        ) : null}
                      </label>
                      {item.description ? (
                        <p id={`${id}-description`} className="pg-option-description muted">
                          {item.description}
                        </p>
                      ) : null}
                    </li>
                  );
                })}
            </ul>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

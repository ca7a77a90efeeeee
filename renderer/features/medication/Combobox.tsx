import { useId, useState, type KeyboardEvent } from 'react';

export type ComboOption = Readonly<{ key: string; label: string }>;

/**
 * A text field with a list of suggestions (WAI-ARIA 1.2 combobox, list autocomplete): the options
 * follow what is typed, arrow keys move, Enter chooses, Escape closes; typing on after a choice
 * drops it. Free text stays possible.
 */
export function Combobox(
  props: Readonly<{
    id: string;
    describedBy: string | undefined;
    invalid: boolean;
    listLabel: string;
    text: string;
    options: readonly ComboOption[];
    onText(text: string): void;
    onChoose(key: string): void;
  }>,
) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const { options } = props;
  const expanded = open && options.length > 0;
  const choose = (option: ComboOption): void => {
    props.onChoose(option.key);
    setOpen(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (options.length === 0 ? 0 : (i + 1) % options.length));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => (options.length === 0 ? 0 : (i - 1 + options.length) % options.length));
    } else if (event.key === 'Enter' && expanded) {
      event.preventDefault();
      const option = options[active];
      if (option) choose(option);
    } else if (event.key === 'Escape' && expanded) {
      event.preventDefault();
      setOpen(false);
    }
  };
  return (
    <div className="combobox">
      <input
        id={props.id}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded ? `${listId}-${active}` : undefined}
        aria-describedby={props.describedBy}
        aria-invalid={props.invalid || undefined}
        value={props.text}
        onChange={(e) => {
          props.onText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
      />
      <ul id={listId} role="listbox" className="combobox__list" aria-label={props.listLabel} hidden={!expanded}>
        {options.map((option, index) => (
          <li
            key={option.key}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'combobox__option combobox__option--active' : 'combobox__option'}
            // mousedown, not click: the input's blur would close the list first.
            onMouseDown={(e) => {
              e.preventDefault();
              choose(option);
            }}
          >
            {option.label}
          </li>
        ))}
      </ul>
    </div>
  );
}

import { useId, useState, type KeyboardEvent, type Ref } from 'react';

export type ComboOption = Readonly<{ key: string; label: string }>;

/**
 * A text field with a list of suggestions (WAI-ARIA 1.2 combobox, list autocomplete): the options
 * follow what is typed; no option is selected until an arrow key moves to one, so Enter on typed
 * text submits the form as typed; Enter on a selected option chooses it; Escape closes; typing on
 * after a choice drops it. Free text stays possible.
 */
export function Combobox(
  props: Readonly<{
    id: string;
    inputRef?: Ref<HTMLInputElement>;
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
  // -1: none selected (Enter then belongs to the form).
  const [active, setActive] = useState(-1);
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
      setActive((i) => (options.length === 0 ? -1 : (i + 1) % options.length));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (options.length === 0 ? -1 : i <= 0 ? options.length - 1 : i - 1));
    } else if (event.key === 'Enter' && expanded && active >= 0) {
      event.preventDefault();
      const option = options[active];
      if (option) choose(option);
    } else if (event.key === 'Escape' && expanded) {
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };
  return (
    <div className="combobox">
      <input
        ref={props.inputRef}
        id={props.id}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={props.describedBy}
        aria-invalid={props.invalid || undefined}
        value={props.text}
        onChange={(e) => {
          props.onText(e.target.value);
          setActive(-1);
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

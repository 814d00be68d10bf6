/** A labelled select: the views' filters and sorts. Options are [value, label] pairs. */
export function Choice(props: {
  label: string;
  value: string | number;
  options: Array<readonly [string | number, string]>;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

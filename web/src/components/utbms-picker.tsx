import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, unwrap } from '../api/client';

/**
 * A UTBMS code field that searches as you type (by code or by words of the name) and offers the
 * matches; the value is the code alone.
 */
export function UtbmsPicker(props: {
  label: string;
  kind: 'task' | 'activity' | 'expense';
  value: string;
  onChange: (code: string) => void;
}) {
  const listId = useId();
  const [focused, setFocused] = useState(false);
  const q = props.value.trim();
  const matches = useQuery({
    queryKey: ['utbms', props.kind, q],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/utbms/codes', { params: { query: { q, kind: props.kind, limit: 20 } } }),
      ),
    enabled: focused,
    staleTime: Infinity,
  });
  return (
    <label className="utbms-picker">
      {props.label}
      <input
        list={listId}
        value={props.value}
        placeholder={props.kind === 'task' ? 'e.g. L120 or "analysis"' : 'e.g. A103 or "draft"'}
        onFocus={() => setFocused(true)}
        onChange={(e) => props.onChange(e.target.value.split(' ')[0]!.toUpperCase())}
        autoComplete="off"
      />
      <datalist id={listId}>
        {(matches.data?.items ?? [])
          .filter((code) => !code.phase)
          .map((code) => (
            <option key={code.code} value={code.code}>
              {code.code} — {code.name}
            </option>
          ))}
      </datalist>
    </label>
  );
}

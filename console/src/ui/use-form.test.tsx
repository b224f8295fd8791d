import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type FieldIssue } from '../api/client.ts';
import { type FieldErrors, mapFieldIssues } from './field-errors.ts';
import { type FormOptions, type FormState, useForm } from './use-form.ts';

interface Form {
  name: string;
  size: string;
}

const validate = (form: Form): FieldErrors => {
  const errors: FieldErrors = {};
  if (!form.name.trim()) errors.name = 'Is required';
  if (!/^\d+$/.test(form.size)) errors.size = 'Must be a number';
  return errors;
};
// `size.0` lands on `size`; anything else is unplaced.
const placeIssues = (issues: readonly FieldIssue[]) =>
  mapFieldIssues(issues, (path) => (path.startsWith('size') ? { key: 'size' } : null));

let root: HTMLElement;
let f: FormState<Form>;

function Host(props: { options: FormOptions<Form> }) {
  f = useForm(props.options);
  return <div ref={f.summary} tabIndex={-1} />;
}

async function mount(options: Partial<FormOptions<Form>> = {}): Promise<void> {
  await act(() => {
    render(null, root);
    render(
      <Host
        options={{
          initial: { name: 'Shop', size: '3' },
          validate,
          placeIssues,
          submit: async (form) => ({ ...form, name: form.name.trim() }),
          ...options,
        }}
      />,
      root,
    );
  });
}

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('useForm', () => {
  it('shows a client error only once the field is left or the form submitted', async () => {
    await mount();
    await act(() => f.set('name', ''));
    expect(f.clientErrors).toEqual({ name: 'Is required' });
    expect(f.err('name')).toBeUndefined();
    await act(() => f.blur('name'));
    expect(f.err('name')).toBe('Is required');

    await act(() => f.set('size', 'x'));
    expect(f.err('size')).toBeUndefined();
    const submit = vi.fn();
    await mount({ submit });
    await act(() => f.set('size', 'x'));
    await act(() => f.save());
    expect(submit).not.toHaveBeenCalled();
    expect(f.err('size')).toBe('Must be a number');
    expect(f.shownErrors).toEqual([['size', 'Must be a number']]);
  });

  it('tracks dirty state against the baseline, and a save makes the saved form the baseline', async () => {
    const submit = vi.fn(async (form: Form) => ({ ...form, name: form.name.trim() }));
    await mount({ submit });
    expect(f.dirty).toBe(false);
    await act(() => f.set('name', '  Shop 2  '));
    expect(f.dirty).toBe(true);
    await act(() => f.save());
    expect(submit).toHaveBeenCalledWith({ name: '  Shop 2  ', size: '3' });
    // The server's normal form is shown, and it is the new baseline... of the hook's form; the
    // page passes the saved record as `initial` (here unchanged, so the form differs from it).
    expect(f.form).toEqual({ name: 'Shop 2', size: '3' });
    expect(f.saved).toBe(true);
    expect(f.saving).toBe(false);
    await act(() => f.set('size', '4'));
    expect(f.saved).toBe(false);
    await act(() => f.discard());
    expect(f.form).toEqual({ name: 'Shop', size: '3' });
    expect(f.dirty).toBe(false);
  });

  it('places the server’s field errors, clears one when its field changes, and reports the rest', async () => {
    const refusal = new ApiError(400, 'INVALID_REQUEST', 'invalid', [
      { path: 'size.0', message: 'must be at most 10' },
      { path: 'colour', message: 'is unknown' },
    ]);
    await mount({ submit: () => Promise.reject(refusal) });
    await act(() => f.save());
    expect(f.err('size')).toBe('Must be at most 10');
    expect(f.generalError).toBe('colour: is unknown');
    expect(f.shownErrors).toEqual([['size', 'Must be at most 10']]);
    // The summary takes the focus (on the next frame), so a screen reader reads it.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(document.activeElement).toBe(root.firstElementChild);

    // A change elsewhere, or one that names no error key, leaves it.
    await act(() => f.set('name', 'Other'));
    await act(() => f.set('size', '5', null));
    expect(f.err('size')).toBe('Must be at most 10');
    // Changing the field it is about clears it.
    await act(() => f.set('size', '6'));
    expect(f.err('size')).toBeUndefined();
  });

  it('says placedMessage when every issue found its field, and a plain error’s message otherwise', async () => {
    const refusal = new ApiError(400, 'INVALID_REQUEST', 'invalid', [
      { path: 'size', message: 'too big' },
    ]);
    await mount({ submit: () => Promise.reject(refusal), placedMessage: 'Fix the fields.' });
    await act(() => f.save());
    expect(f.generalError).toBe('Fix the fields.');
    expect(f.saved).toBe(false);

    await mount({ submit: () => Promise.reject(new ApiError(0, 'NETWORK_ERROR', 'Offline')) });
    await act(() => f.save());
    expect(f.generalError).toBe('Offline');
    expect(f.err('size')).toBeUndefined();
  });

  it('keeps the form as it was when submit moves the page on (null)', async () => {
    await mount({ submit: async () => null });
    await act(() => f.set('name', 'New'));
    await act(() => f.save());
    expect(f.form.name).toBe('New');
    expect(f.saved).toBe(false);
    expect(f.submitted).toBe(true);
  });
});

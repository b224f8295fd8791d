// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from './render.ts';

const mount = document.createElement('div');
document.body.append(mount);
afterEach(() => render(null, mount));

describe('the popup renderer', () => {
  it('keeps an element of the same type in the same place and only updates it', () => {
    render(
      <form>
        <input id="a" value="1" />
        <p>one</p>
      </form>,
      mount,
    );
    const input = mount.querySelector('input')!;
    const text = mount.querySelector('p')!.firstChild;
    render(
      <form>
        <input id="a" value="2" />
        <p>two</p>
      </form>,
      mount,
    );
    expect(mount.querySelector('input')).toBe(input);
    expect(input.value).toBe('2');
    expect(mount.querySelector('p')!.firstChild).toBe(text);
    expect(mount.innerHTML).toBe('<form><input id="a"><p>two</p></form>');
  });

  it('lets null and false hold their place, so a child that appears moves none of its siblings', () => {
    const view = (busy: boolean) => (
      <div>
        {busy && <span class="sp" />}
        <input />
      </div>
    );
    render(view(false), mount);
    const input = mount.querySelector('input')!;
    render(view(true), mount);
    expect(mount.querySelector('input')).toBe(input);
    expect(mount.innerHTML).toBe('<div><span class="sp"></span><input></div>');
    render(view(false), mount);
    expect(mount.innerHTML).toBe('<div><input></div>');
  });

  it('replaces a child whose type changed, and draws fragments and arrays in order', () => {
    const Pair = ({ first }: { first: string }) => (
      <>
        <b>{first}</b>
        <i>2</i>
      </>
    );
    render(
      <p>
        <Pair first="1" />
        {['a', 'b'].map((x) => (
          <u key={x}>{x}</u>
        ))}
        end
      </p>,
      mount,
    );
    expect(mount.innerHTML).toBe('<p><b>1</b><i>2</i><u>a</u><u>b</u>end</p>');
    render(
      <p>
        <em>x</em>
        {['c'].map((x) => (
          <u key={x}>{x}</u>
        ))}
        end
      </p>,
      mount,
    );
    expect(mount.innerHTML).toBe('<p><em>x</em><u>c</u>end</p>');
  });

  it('sets properties, attributes, aria and style as Preact does, and removes the ones that went', () => {
    render(
      <input
        disabled
        maxLength={6}
        aria-invalid="true"
        aria-hidden={false}
        data-w=""
        style={{ '--len': 6 }}
      />,
      mount,
    );
    const input = mount.querySelector('input')!;
    expect(input.disabled).toBe(true);
    expect(input.maxLength).toBe(6);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-hidden')).toBe('false');
    expect(input.getAttribute('data-w')).toBe('');
    expect(input.style.getPropertyValue('--len')).toBe('6');
    render(<input maxLength={6} />, mount);
    expect(input.disabled).toBe(false);
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    expect(input.hasAttribute('data-w')).toBe(false);
    expect(input.style.getPropertyValue('--len')).toBe('');
  });

  it('calls the latest handler, and stops listening when the handler goes', () => {
    const first = vi.fn();
    const targets: unknown[] = [];
    const second = vi.fn((event: Event) => targets.push(event.currentTarget));
    render(<button type="button" onClick={first} />, mount);
    const button = mount.querySelector('button')!;
    render(<button type="button" onClick={second} />, mount);
    button.click();
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    expect(targets).toEqual([button]);
    render(<button type="button" />, mount);
    button.click();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('draws SVG in its namespace, and fills a ref with the element until it goes', () => {
    const ref: { current: SVGSVGElement | null } = { current: null };
    render(
      <svg viewBox="0 0 12 12" aria-hidden="true" ref={ref}>
        <path d="M3 4.5l3 3 3-3" />
      </svg>,
      mount,
    );
    const svg = mount.querySelector('svg')!;
    expect(ref.current).toBe(svg);
    expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(svg.firstElementChild?.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(svg.getAttribute('viewBox')).toBe('0 0 12 12');
    render(<p />, mount);
    expect(ref.current).toBeNull();
    expect(mount.innerHTML).toBe('<p></p>');
  });
});

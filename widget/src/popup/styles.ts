/**
 * Adds CSS to the popup's shadow root as a constructed stylesheet, which a
 * page's Content-Security-Policy does not block (a `<style>` element needs
 * 'unsafe-inline'); browsers without constructed stylesheets get a `<style>`.
 * The popup's own sheet goes in when it opens; a lazy chunk (the country
 * picker) adds its sheet beside it when it first shows.
 */
export function adoptStyles(root: ShadowRoot, text: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = text;
    root.append(style);
  }
}

/**
 * Adds CSS to the popup's shadow root as a constructed stylesheet, which a
 * page's Content-Security-Policy does not block (a `<style>` element needs
 * 'unsafe-inline'). Every browser the popup targets has them (Chrome 73,
 * Firefox 101, Safari 16.4; see cssTarget in vite.shared.ts). The popup's
 * own sheet goes in when it opens; a lazy chunk (the country picker) adds
 * its sheet beside it when it first shows.
 */
export function adoptStyles(root: ShadowRoot, text: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

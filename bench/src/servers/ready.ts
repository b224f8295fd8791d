/** How a server under test tells the runner where it listens: one line on stdout. */
export function announce(url: string): void {
  process.stdout.write(`READY ${url}\n`);
}

export function productionEnv(options: {
  publicUrl: string;
  webhookUrl: string;
}): Record<string, string>;
export function startGateway(options?: { host?: string }): Promise<{
  url: string;
  messages: Record<string, unknown>[];
  close(): Promise<void>;
}>;
export function until<T>(check: () => Promise<T>, ms?: number, label?: string): Promise<T>;
export function waitForHealth(url: string, ms?: number): Promise<unknown>;
export function listWidgets(url: string, authkey: string): Promise<{ widgetId: string }[]>;
export function otpFlow(options: {
  url: string;
  authkey: string;
  gateway: { messages: Record<string, unknown>[] };
  origin: string;
  identifier?: string;
}): Promise<{ widgetId: string; requestId: string }>;
export function freePort(): Promise<number>;
export function startServeProcess(
  command: string,
  args: string[],
  options?: import('node:child_process').SpawnOptions,
): {
  child: import('node:child_process').ChildProcess;
  exited: Promise<number | string>;
  output(): string;
  healthy(url: string, what: string, ms?: number): Promise<unknown>;
};

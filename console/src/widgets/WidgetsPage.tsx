/** The widget list: name, status, contact points, primary channels, created. */

import type { Widget } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { api, meta } from '../auth/session.ts';
import { Badge, EmptyState, Link, LoadStatus, Notice, PageHeader } from '../ui/components.tsx';
import { channelName, formatDate } from '../ui/format.ts';
import { DataTable, NameCell } from '../ui/table.tsx';
import { useLoad } from '../ui/use-load.ts';
import { originsWarning } from './origins.ts';

/** `Mobile, Email`. */
export function contactPointsText(widget: Widget): string {
  return widget.contactPoints.map((p) => (p === 'mobile' ? 'Mobile' : 'Email')).join(', ');
}

/** `SMS · Email` (and `+2 countries` when country-wise channels are set). */
export function primaryChannelsText(widget: Widget): string {
  const parts = widget.contactPoints.map((p) => channelName(widget.primaryChannel[p]));
  const countries = Object.keys(widget.countryChannels).length;
  if (countries > 0 && widget.contactPoints.includes('mobile')) {
    parts.push(`+${countries} ${countries === 1 ? 'country' : 'countries'}`);
  }
  return parts.join(' · ');
}

/** A widget's status as a badge. */
export function StatusBadge(props: { status: Widget['status'] }): JSX.Element {
  return props.status === 'enabled' ? (
    <Badge tone="success">Enabled</Badge>
  ) : (
    <Badge tone="neutral">Disabled</Badge>
  );
}

/** `/widgets`. */
export function WidgetsPage(): JSX.Element {
  const widgets = useLoad(() => api.listWidgets(), []);
  const newButton = (
    <Link to="/widgets/new" class="button button--primary">
      New widget
    </Link>
  );
  return (
    <>
      <PageHeader
        title="Widgets"
        description="A widget is one sign-in flow: who it verifies, over which channels, and how it looks."
        actions={newButton}
      />
      <LoadStatus loaded={widgets} label="Loading widgets…" />
      {widgets.data && widgets.data.length === 0 && (
        <EmptyState title="No widgets yet">
          <p class="muted">Create one to get a widget id and a token for your site.</p>
          {newButton}
        </EmptyState>
      )}
      {widgets.data?.some((w) => originsWarning(w.allowedOrigins, meta.value)) && (
        <Notice tone="warning" title="Some widgets cannot be used from browsers">
          <p>
            In production a widget works in a browser only on the sites listed in its Allowed
            origins. Those marked "No allowed origins" answer every site with ORIGIN_NOT_ALLOWED:
            open them and list the sites that embed them.
          </p>
        </Notice>
      )}
      {widgets.data && widgets.data.length > 0 && (
        <DataTable
          caption="Widgets"
          columns={['Name', 'Status', 'Contact points', 'Primary channels', 'Created']}
        >
          {widgets.data.map((w) => (
            <tr key={w.widgetId}>
              <NameCell
                to={`/widgets/${encodeURIComponent(w.widgetId)}`}
                name={w.name}
                sub={w.widgetId}
                mono
              />
              <td data-label="Status">
                <StatusBadge status={w.status} />
                {originsWarning(w.allowedOrigins, meta.value) && (
                  <>
                    {' '}
                    <Badge tone="warning">No allowed origins</Badge>
                  </>
                )}
              </td>
              <td data-label="Contact points">{contactPointsText(w)}</td>
              <td data-label="Primary channels">{primaryChannelsText(w)}</td>
              <td data-label="Created">{formatDate(w.createdAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

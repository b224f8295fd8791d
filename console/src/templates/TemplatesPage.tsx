/** The template list (`/templates`, optionally `?widgetId=`). */
import type { JSX } from 'preact';
import { api } from '../auth/session.ts';
import { navigate } from '../router.ts';
import { EmptyState, Link, LoadStatus, PageHeader } from '../ui/components.tsx';
import { WidgetSelect } from '../ui/fields.tsx';
import { Flash } from '../ui/flash.tsx';
import { channelName, formatDate } from '../ui/format.ts';
import { DataTable, NameCell } from '../ui/table.tsx';
import { useLoad } from '../ui/use-load.ts';

/** `/templates`. */
export function TemplatesPage(props: { widgetId: string | null }): JSX.Element {
  const { widgetId } = props;
  const widgets = useLoad(() => api.listWidgets(), []);
  const templates = useLoad(() => api.listTemplates(widgetId ?? undefined), [widgetId]);
  const widgetName = (id: string | null): string =>
    id === null ? 'All widgets' : (widgets.data?.find((w) => w.widgetId === id)?.name ?? id);
  const newPath = widgetId
    ? `/templates/new?widgetId=${encodeURIComponent(widgetId)}`
    : '/templates/new';
  const newButton = (
    <Link to={newPath} class="button button--primary">
      New template
    </Link>
  );
  return (
    <>
      <PageHeader
        title="Templates"
        description={
          <>
            The message each channel sends. <code>##OTP##</code> is the code; <code>##name##</code>{' '}
            is a variable your page passes. A widget uses, per channel, its own template, else an
            account template (all widgets), else the built-in default.
          </>
        }
        actions={newButton}
      />
      <Flash />
      <div class="toolbar">
        <WidgetSelect
          name="templateFilter"
          label="Show templates for"
          all="Every widget"
          value={widgetId ?? ''}
          widgets={widgets.data}
          onChange={(value) =>
            navigate(value ? `/templates?widgetId=${encodeURIComponent(value)}` : '/templates')
          }
        />
      </div>
      <LoadStatus loaded={templates} label="Loading templates…" />
      {templates.data?.length === 0 && (
        <EmptyState title="No templates yet">
          <p class="muted">
            Until you add one, the built-in default message for each channel is used.
          </p>
          {newButton}
        </EmptyState>
      )}
      {templates.data && templates.data.length > 0 && (
        <DataTable caption="Templates" columns={['Name', 'Channel', 'Used by', 'Updated']}>
          {templates.data.map((t) => (
            <tr key={t.templateId}>
              <NameCell
                to={`/templates/${encodeURIComponent(t.templateId)}`}
                name={t.name}
                sub={t.body.slice(0, 80)}
              />
              <td data-label="Channel">{channelName(t.channel)}</td>
              <td data-label="Used by">{widgetName(t.widgetId)}</td>
              <td data-label="Updated">{formatDate(t.updatedAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

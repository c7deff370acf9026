import { useState, type FormEvent } from 'react';
import { Button, FormControl, TextInput, Textarea } from '@primer/react';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { idOf } from '../api/http.ts';
import { ChoiceField, choices } from './ChoiceField.tsx';
import { listAssignees, listStatuses, listTypes, type WorkPackage, type WorkPackageInput } from '../api/resources.ts';

/** Create or edit a work package: subject, description, type, status, assignee. */
export function WorkPackageForm({
  projectId,
  existing,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  projectId: number;
  existing?: WorkPackage;
  submitLabel: string;
  onSubmit(input: WorkPackageInput): Promise<unknown>;
  onCancel(): void;
}) {
  const options = useLoader(async () => ({ types: await listTypes(projectId), statuses: await listStatuses(), assignees: await listAssignees(projectId) }), [projectId]);
  const [subject, setSubject] = useState(existing?.subject ?? '');
  const [description, setDescription] = useState(existing?.description.raw ?? '');
  const [type, setType] = useState(String(idOf(existing?._links.type) ?? ''));
  const [status, setStatus] = useState(String(idOf(existing?._links.status) ?? ''));
  const [assignee, setAssignee] = useState(String(idOf(existing?._links.assignee) ?? ''));
  const action = useAction();
  const types = options.data?.types ?? [];
  const statuses = options.data?.statuses ?? [];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await action.run(() =>
      onSubmit({
        subject: subject.trim(),
        description,
        typeId: Number(type || types[0]?.id) || null,
        statusId: Number(status || statuses.find((s) => s.isDefault)?.id) || null,
        assigneeId: assignee ? Number(assignee) : null,
      }),
    );
  };
  return (
    <form onSubmit={submit} aria-label={existing ? 'Edit work package' : 'New work package'} style={{ display: 'flex', flexDirection: 'column', gap: 16, maxWidth: 720 }}>
      <ErrorBanner error={action.error ?? options.error} />
      <FormControl required>
        <FormControl.Label>Subject</FormControl.Label>
        <TextInput block value={subject} onChange={(e) => setSubject(e.target.value)} />
      </FormControl>
      <div className="inline-form" style={{ marginBottom: 0 }}>
        <ChoiceField label="Type" value={type || String(types[0]?.id ?? '')} onChange={setType} options={choices(types)} />
        <ChoiceField label="Status" value={status || String(statuses.find((s) => s.isDefault)?.id ?? '')} onChange={setStatus} options={choices(statuses)} />
        <ChoiceField label="Assignee" value={assignee} onChange={setAssignee} options={[{ value: '', label: '-' }, ...choices(options.data?.assignees)]} />
      </div>
      <FormControl>
        <FormControl.Label>Description</FormControl.Label>
        <Textarea block rows={6} value={description} onChange={(e) => setDescription(e.target.value)} />
      </FormControl>
      <div style={{ display: 'flex', gap: 8 }}>
        <Button type="submit" variant="primary" loading={action.busy} disabled={!subject.trim() || !options.data}>
          {submitLabel}
        </Button>
        <Button type="button" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

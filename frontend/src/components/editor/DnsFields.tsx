import { DNS_RECORD_TYPES } from '@nop/protocol';
import { Section, SelectField, TextAreaField, TextField, type Bind } from './fields.tsx';

/** DNS: which record, asked of which server over which transport, and what counts as right. */
export function DnsFields({ bind }: { bind: Bind }) {
  return (
    <Section
      title="DNS"
      description="One query per run; success is the expected response code, then the expected answers."
    >
      <SelectField bind={bind} name="recordType" label="Record type" options={DNS_RECORD_TYPES} />
      <TextField
        bind={bind}
        name="server"
        label="Server"
        placeholder="system resolver"
        hint="host, host:port or [v6]:port"
        mono
      />
      <SelectField
        bind={bind}
        name="transport"
        label="Transport"
        options={[
          { value: 'udp', label: 'UDP (TCP when truncated)' },
          { value: 'tcp', label: 'TCP' },
        ]}
      />
      <SelectField
        bind={bind}
        name="expectRcode"
        label="Expected code"
        options={['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED']}
      />
      <TextAreaField
        bind={bind}
        name="expectAnswers"
        label="Expected answers"
        placeholder={'93.184.215.14\n10 mail.example.com.'}
        hint="one per line, as dig prints them; every one must be answered"
      />
      <TextField
        bind={bind}
        name="expectRegex"
        label="Answer regex"
        mono
        placeholder="^93\.184\."
        hint="at least one answer must match"
      />
    </Section>
  );
}

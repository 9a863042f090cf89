import { CheckboxField, IpVersionField, Section, SelectField, TextField, type Bind } from './fields.tsx';

/** Traceroute: probe kind and port, Paris flows, how far and how many probes, names. */
export function TracerouteFields({ bind }: { bind: Bind }) {
  return (
    <Section
      title="Traceroute"
      description="Paris-style: each flow keeps its ports for the whole trace; several flows show ECMP branches."
    >
      <SelectField
        bind={bind}
        name="mode"
        label="Probes"
        options={[
          { value: 'udp', label: 'UDP (high ports)' },
          { value: 'tcp', label: 'TCP SYN' },
          { value: 'icmp', label: 'ICMP echo' },
        ]}
      />
      <TextField
        bind={bind}
        name="port"
        label="Port"
        numeric
        placeholder={bind.draft.mode === 'tcp' ? '80' : '33434'}
        hint="destination port"
      />
      <TextField bind={bind} name="flows" label="Flows" numeric hint="1–16" />
      <TextField bind={bind} name="maxHops" label="Max hops" numeric hint="1–64" />
      <TextField bind={bind} name="probesPerHop" label="Probes per hop" numeric hint="1–10" />
      <TextField bind={bind} name="probeTimeout" label="Probe timeout" hint="per probe: 500ms, 1s" />
      <IpVersionField bind={bind} />
      <CheckboxField bind={bind} name="resolveNames" label="Resolve hop names" hint="reverse DNS of each hop" />
    </Section>
  );
}

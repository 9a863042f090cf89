import { CheckboxField, IpVersionField, Section, TextField, type Bind } from './fields.tsx';

/** ICMP echo: how many echoes per run, how big, how far apart, with what TTL and DF bit. */
export function IcmpFields({ bind }: { bind: Bind }) {
  return (
    <Section
      title="Ping"
      description="Each run sends a burst of echo requests and reports round trips, loss and jitter."
    >
      <TextField bind={bind} name="count" label="Echoes per run" numeric hint="1–100" />
      <TextField bind={bind} name="size" label="Payload size" numeric hint="bytes, 0–65000" />
      <TextField bind={bind} name="echoInterval" label="Echo interval" hint="time between echoes: 100ms, 1s" />
      <TextField bind={bind} name="ttl" label="TTL" numeric placeholder="system default" hint="1–255" />
      <IpVersionField bind={bind} />
      <CheckboxField
        bind={bind}
        name="dontFragment"
        label="Don’t fragment"
        hint="IPv4: with the size, tests the path MTU"
      />
    </Section>
  );
}

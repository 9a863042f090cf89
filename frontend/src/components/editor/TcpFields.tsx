import { CheckboxField, IpVersionField, Section, TextAreaField, TextField, type Bind } from './fields.tsx';

/** TCP connect, optionally TLS on top, optionally a line sent and a reply expected. */
export function TcpFields({ bind }: { bind: Bind }) {
  const { tls } = bind.draft;
  return (
    <Section title="TCP" description="Connects to host:port; with TLS it also reports the certificate’s expiry.">
      <CheckboxField bind={bind} name="tls" label="TLS handshake after connecting" />
      {tls && <CheckboxField bind={bind} name="tlsVerify" label="Verify the certificate" hint="chain and name" />}
      {tls && (
        <TextField bind={bind} name="serverName" label="Server name (SNI)" placeholder="the target’s host" mono />
      )}
      <TextAreaField
        bind={bind}
        name="send"
        label="Send"
        placeholder="PING"
        hint="sent once connected; line breaks as typed"
        rows={2}
      />
      <TextField
        bind={bind}
        name="expect"
        label="Expect (regex)"
        placeholder="^\+PONG"
        mono
        hint="the reply must match"
      />
      <IpVersionField bind={bind} />
    </Section>
  );
}

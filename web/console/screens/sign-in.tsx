import { useState } from 'preact/hooks';
import { ApiError, signIn, User } from '../../shared/api';
import { t } from '../strings';

export function SignIn({ onSignedIn, refused }: { onSignedIn: (u: User) => void; refused: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(email.trim(), password));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'ERROR', String(err)));
    } finally {
      setBusy(false);
    }
  };
  const emailError = error?.about('email');
  const passwordError = error?.about('password');
  const formError = error && !emailError && !passwordError ? error.message : refused;

  return (
    <main class="sign-in">
      <h1>{t.signInTitle}</h1>
      <form onSubmit={submit} noValidate>
        <label for="email">{t.email}</label>
        <input id="email" name="email" autoComplete="username" value={email} required
          aria-invalid={!!emailError} aria-describedby={emailError ? 'email-error' : undefined}
          onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        {emailError && <p id="email-error" class="field-error">{emailError}</p>}
        <label for="password">{t.password}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" value={password} required
          aria-invalid={!!passwordError} aria-describedby={passwordError ? 'password-error' : undefined}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        {passwordError && <p id="password-error" class="field-error">{passwordError}</p>}
        {formError && <p class="form-error" role="alert">{formError}</p>}
        <button type="submit" disabled={busy}>{busy ? t.signingIn : t.signIn}</button>
      </form>
    </main>
  );
}

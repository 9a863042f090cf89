import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { queryClient } from './lib/queryClient.ts';
import { installAuth } from './lib/session.ts';
import { installTheme } from './lib/theme.ts';
import './index.css';

// before the first render, so the page never paints in the other theme
installTheme();
installAuth();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);

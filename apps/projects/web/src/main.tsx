import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { BaseStyles, ThemeProvider } from '@primer/react';
import '@primer/primitives/dist/css/primitives.css';
import '@primer/primitives/dist/css/functional/themes/light.css';
import '@tandem/web-kit/base.css';
import './styles.css';
import { App } from './App.tsx';
import { SessionProvider } from './session.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ThemeProvider colorMode="light">
      <BaseStyles>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </BaseStyles>
    </ThemeProvider>
  </StrictMode>,
);

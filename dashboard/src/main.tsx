import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.js';
import { loadNetworks } from './config/networks.js';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
loadNetworks().then(
  (networks) =>
    root.render(
      <StrictMode>
        <BrowserRouter>
          <App networks={networks} />
        </BrowserRouter>
      </StrictMode>,
    ),
  (error: Error) => root.render(<p role="alert">The dashboard is misconfigured: {error.message}</p>),
);

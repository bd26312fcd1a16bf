import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// One stylesheet per part of the page, in cascade order: the phone rules come last.
import './styles/base.css';
import './styles/uploads.css';
import './styles/card.css';
import './styles/explorer.css';
import './styles/completeness.css';
import './styles/phone.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

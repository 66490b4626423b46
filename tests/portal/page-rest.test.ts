import { describePortalPage } from './page-cases.js';

describePortalPage('rest');

import { frontDoorSmoke } from '../support/front-door-smoke.js';

// The REST API front door (every other suite runs behind the default HTTP API).
frontDoorSmoke('rest');

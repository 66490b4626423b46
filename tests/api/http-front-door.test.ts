import { frontDoorSmoke } from '../support/front-door-smoke.js';

// The HTTP API front door (the default, which every other suite runs behind too).
frontDoorSmoke('http');

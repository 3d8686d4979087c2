import { openTestPostgres } from '../testing/postgres.js';
import { runImportPropertySuite } from './importer.property.case.js';

runImportPropertySuite('postgres', openTestPostgres, 25);

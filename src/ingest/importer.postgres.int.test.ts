import { openTestPostgres } from '../testing/postgres.js';
import { runImportSuite } from './importer.case.js';

runImportSuite('postgres', openTestPostgres);

/**
 * Commands the Datasets view tells the user to run on the lab's machine. Kept here, as data, so a
 * unit test runs exactly what the view shows against the real `bnlab` (test/unit/renderer/lib/
 * dataset-commands.test.ts).
 */

/** Imports CIFAR-10 from the official `cifar-10-binary.tar.gz` or its extracted folder. */
export const CIFAR_IMPORT_COMMAND = 'bnlab data import';
/** What the user puts after CIFAR_IMPORT_COMMAND. */
export const CIFAR_IMPORT_ARGUMENT = '<path-to-cifar-10-binary.tar.gz>';

/** A resource's name in a stage: `platform-data` in `dev` is `platform-data-dev`. */
export const resourceName = (baseName: string, stage: string): string => `${baseName}-${stage}`;

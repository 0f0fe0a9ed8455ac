import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { configurationsFrom, EnvSource } from './configuration';
import { validateEnvironment } from './env.validation';

/**
 * Validates every variable once and exposes typed slices. Without a source it reads `.env` and
 * the environment (`npm start`); with one (tests, embedders) it reads that object alone and
 * leaves `process.env` untouched.
 */
@Global()
@Module({})
export class AppConfigModule {
  static register(source?: EnvSource): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        source === undefined
          ? ConfigModule.forRoot({
              load: configurationsFrom(() => process.env),
              validate: (raw) => validateEnvironment(raw),
              ignoreEnvFile: process.env.NODE_ENV === 'test',
              cache: true,
            })
          : ConfigModule.forRoot({
              load: configurationsFrom(() => source),
              ignoreEnvFile: true,
              validatePredefined: false,
              skipProcessEnv: true,
              cache: true,
            }),
      ],
      exports: [ConfigModule],
    };
  }
}

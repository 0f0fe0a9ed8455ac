import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { allConfigs } from './configuration';
import { validateEnvironment } from './env.validation';

/** Reads `.env` and the environment once, validates every variable, and exposes typed slices. */
@Global()
@Module({})
export class AppConfigModule {
  static register(): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          load: allConfigs,
          validate: (raw) => validateEnvironment(raw),
          ignoreEnvFile: process.env.NODE_ENV === 'test',
          cache: true,
        }),
      ],
      exports: [ConfigModule],
    };
  }
}

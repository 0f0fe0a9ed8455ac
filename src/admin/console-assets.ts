import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../errors/api-error';
import { VIEWS_DIR } from '../http/views';

export interface ConsoleAsset {
  type: string;
  body: Buffer;
}

/**
 * The console's scripts and styles, served by the proxy itself so that it works offline and no
 * page asks another host for anything. uPlot comes from node_modules; the page's own script from
 * `views/assets/`. Read once at start-up: a handful of files, about 60 KB.
 */
@Injectable()
export class ConsoleAssets {
  private readonly files = new Map<string, ConsoleAsset>([
    ['uplot.min.js', script(require.resolve('uplot/dist/uPlot.iife.min.js'))],
    ['uplot.min.css', style(require.resolve('uplot/dist/uPlot.min.css'))],
    ['usage-chart.js', script(join(VIEWS_DIR, 'assets', 'usage-chart.js'))],
  ]);

  get(name: string): ConsoleAsset {
    const asset = this.files.get(name);
    if (!asset) throw ApiError.notFound(`No console asset named ${name}.`);
    return asset;
  }
}

function script(file: string): ConsoleAsset {
  return { type: 'text/javascript; charset=utf-8', body: readFileSync(file) };
}

function style(file: string): ConsoleAsset {
  return { type: 'text/css; charset=utf-8', body: readFileSync(file) };
}

/**
 * Builds the Kommo widget: `widget/src` → `dist/widget/script.js` (an AMD module whose factory
 * returns the widget constructor) and `dist/widget/settings.js` (an AMD module with the settings
 * page, loaded by script.js only in the settings locations), plus manifest, i18n and images,
 * zipped into `dist/widget.zip` with every file at the archive root: Kommo takes the archive's
 * files, not a folder (https://developers.kommo.com/docs/manifest-json).
 *
 * The environment (WIDGET_TARGET, WIDGET_SERVER_URL or PUBLIC_URL, WIDGET_SUPPORT_EMAIL,
 * WIDGET_SUPPORT_URL) is parsed by widget/scripts/build-options.ts; see widget/README.md.
 */
const path = require('node:path');
const zlib = require('node:zlib');
const webpack = require('webpack');
const CopyPlugin = require('copy-webpack-plugin');
const ZipPlugin = require('zip-webpack-plugin');
// The build's options and the marker helper are TypeScript shared with the tests and the server.
const tsx = require('tsx/cjs/api');

const requireTs = (file) => tsx.require(file, module.filename);
const { parseBuildOptions, WidgetBuildError } = requireTs('./scripts/build-options.ts');
const { buildManifest, manifestText } = requireTs('./scripts/widget-manifest.ts');
const { withServerUrl } = requireTs('../shared/server-url-marker.ts');

const root = path.resolve(__dirname, '..');

function loadOptions() {
  try {
    return parseBuildOptions(process.env);
  } catch (error) {
    if (!(error instanceof WidgetBuildError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
const options = loadOptions();
process.stdout.write(
  `widget build: ${options.target}; server address ${options.serverUrl ? `${options.serverUrl} (from ${options.serverUrlFrom})` : 'none baked in (the widget needs its server_url setting)'}\n`,
);
if (!options.supportEmail || !options.supportUrl) {
  process.stdout.write('widget build: support contacts from manifest.json (set WIDGET_SUPPORT_EMAIL and WIDGET_SUPPORT_URL for a published widget)\n');
}

/** Writes the server address into script.js's marker once it is minified; fails when the marker is not there exactly once. */
class ServerUrlPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('ServerUrlPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'ServerUrlPlugin', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_INLINE },
        (assets) => {
          const asset = assets['script.js'];
          if (!asset) return;
          try {
            compilation.updateAsset('script.js', new webpack.sources.RawSource(withServerUrl(asset.source().toString(), options.serverUrl)));
          } catch (error) {
            compilation.errors.push(new webpack.WebpackError(`script.js: ${error.message}`));
          }
        },
      );
    });
  }
}
/** Gzipped budgets: script.js loads on every deal card; settings.js only on the settings pages. */
const BUDGETS = { 'script.js': 25 * 1024, 'settings.js': 40 * 1024 };

/** Prints the size of each script and fails the build when one is over its gzipped budget. */
class SizeBudgetPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('SizeBudgetPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'SizeBudgetPlugin', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT },
        (assets) => {
          for (const [name, budget] of Object.entries(BUDGETS)) {
            const asset = assets[name];
            if (!asset) continue;
            const source = asset.buffer();
            const gzipped = zlib.gzipSync(source, { level: 9 }).length;
            process.stdout.write(`${name}: ${source.length} bytes, ${gzipped} bytes gzipped (budget ${budget / 1024} KB)\n`);
            if (gzipped > budget) {
              compilation.errors.push(new webpack.WebpackError(`${name} is ${gzipped} bytes gzipped, over the ${budget} byte budget`));
            }
          }
        },
      );
    });
  }
}

/** swc options: TypeScript + Preact's automatic JSX runtime; webpack keeps the ES modules. */
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', tsx: true },
    transform: { react: { runtime: 'automatic', importSource: 'preact' } },
    target: 'es2019',
  },
  module: { type: 'es6' },
};

module.exports = {
  mode: 'production',
  context: root,
  entry: {
    script: path.join(__dirname, 'src/index.ts'),
    settings: path.join(__dirname, 'src/settings/index.ts'),
  },
  target: ['web', 'es2019'],
  devtool: false,
  output: {
    path: path.join(root, 'dist/widget'),
    filename: '[name].js',
    // script.js: `define(['jquery'], factory)`, the factory returns the default export (the widget
    // constructor); settings.js: `define([], factory)` returning the settings module.
    library: { type: 'amd', export: 'default' },
    clean: true,
  },
  // Provided by Kommo's RequireJS; listed as AMD dependencies instead of being bundled.
  externals: { jquery: 'jquery' },
  resolve: {
    extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
  },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        include: [path.join(__dirname, 'src'), path.join(root, 'shared')],
        use: { loader: 'swc-loader', options: swcOptions },
      },
    ],
  },
  optimization: { minimize: true },
  performance: { hints: false },
  plugins: [
    new CopyPlugin({
      patterns: [
        {
          from: path.join(root, 'manifest.json'),
          to: 'manifest.json',
          transform: (content) => manifestText(buildManifest(JSON.parse(content.toString()), options)),
        },
        { from: path.join(__dirname, 'i18n'), to: 'i18n' },
        { from: path.join(__dirname, 'images'), to: 'images' },
      ],
    }),
    new ServerUrlPlugin(),
    new ZipPlugin({ path: '..', filename: 'widget.zip' }),
    new SizeBudgetPlugin(),
  ],
};

/**
 * Builds the Kommo widget: `widget/src` → `dist/widget/script.js` (an AMD module whose factory
 * returns the widget constructor) and `dist/widget/settings.js` (an AMD module with the settings
 * page, loaded by script.js only in the settings locations), plus manifest, i18n and images,
 * zipped into `dist/widget.zip` with every file at the archive root (Kommo's upload format, see
 * shared/docs/platform-kommo.md §1).
 */
const path = require('node:path');
const zlib = require('node:zlib');
const webpack = require('webpack');
const CopyPlugin = require('copy-webpack-plugin');
const ZipPlugin = require('zip-webpack-plugin');

const root = path.resolve(__dirname, '..');
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
        { from: path.join(root, 'manifest.json'), to: 'manifest.json' },
        { from: path.join(__dirname, 'i18n'), to: 'i18n' },
        { from: path.join(__dirname, 'images'), to: 'images' },
      ],
    }),
    new ZipPlugin({ path: '..', filename: 'widget.zip' }),
    new SizeBudgetPlugin(),
  ],
};

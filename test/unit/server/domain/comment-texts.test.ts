import { commentBodyForNote, noteTextForComment, stripPrefix } from '../../../../server/domain/comment-texts';
import { markdownToText } from '../../../../server/domain/markdown-text';

describe('comment texts', () => {
  it('renders Markdown as plain text: emphasis, links, code, lists, headings, fences', () => {
    const md = '## Plan\n**Bold** and _it_ with `code`, a [link](https://x.io) and ![img](https://x.io/a.png)\n- one\n- [x] done\n> quoted\n```\nraw *kept*\n```';
    expect(markdownToText(md)).toBe('Plan\nBold and it with code, a link (https://x.io) and img (https://x.io/a.png)\n• one\n☑ done\nquoted\nraw *kept*');
  });

  it('names the author, and whom a reply answers, in the account language', () => {
    expect(noteTextForComment({ author: 'Anna', body: 'Done', isReply: false }, 'en')).toBe('Anna in Linear: Done');
    expect(noteTextForComment({ author: 'Anna', body: 'Yes', isReply: true, parentAuthor: 'Boris' }, 'es')).toBe('Anna en Linear, en respuesta a Boris: Yes');
    expect(noteTextForComment({ author: null, body: 'x', isReply: true }, 'en')).toBe('Someone in Linear, replying to Someone: x');
  });

  it('strips the prefix only when the note starts with it as a word', () => {
    expect(stripPrefix('#linear please call', '#linear')).toBe('please call');
    expect(stripPrefix('  #LINEAR: please call', '#linear')).toBe('please call');
    expect(stripPrefix('#linearly speaking', '#linear')).toBeUndefined();
    expect(stripPrefix('call #linear', '#linear')).toBeUndefined();
    expect(stripPrefix('#linear', '#linear')).toBeUndefined();
    expect(commentBodyForNote('Ivan', 'hi')).toBe('**Ivan in Kommo:** hi');
  });
});

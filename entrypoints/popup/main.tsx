import '@/lib/zod';
import { render } from 'preact';

function Placeholder() {
  return <p>Sounds Local</p>;
}

render(<Placeholder />, document.getElementById('app')!);
